import React from 'react'
import { Text } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'
import { withShowLabel } from './ShowLabel.js'

function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.round(minutes / 60)
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`
}

/** A deadline as the time left, red once it has passed; the exact time on hover. */
const TimeLeftValue: React.FC<BasePropertyProps> = ({ record, property }) => {
  const value = record?.params?.[property.path] as string | undefined
  if (!value) return <Text color="grey60">–</Text>
  const left = new Date(value).getTime() - Date.now()
  const status = record?.params?.status as string | undefined
  const settled = status === 'REFERRED' || status === 'CLOSED'
  const exact = new Date(value).toLocaleString()
  if (settled) return <Text color="grey60" title={exact}>{exact}</Text>
  return (
    <Text title={exact} color={left < 0 ? 'error' : 'grey100'} fontWeight={left < 0 ? 'bold' : 'normal'} style={{ whiteSpace: 'nowrap' }}>
      {left < 0 ? `${duration(left)} overdue` : `${duration(left)} left`}
    </Text>
  )
}

export default withShowLabel(TimeLeftValue)
