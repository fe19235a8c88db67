import React from 'react'
import { Text } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'
import { withShowLabel } from './ShowLabel.js'

/** An enum value as words in sentence case: CHILD_SEX_TRAFFICKING -> "Child sex trafficking". */
const EnumLabelValue: React.FC<BasePropertyProps> = ({ record, property }) => {
  const value = record?.params?.[property.path] as string | undefined
  if (!value) return <Text color="grey60">–</Text>
  const words = value.toLowerCase().replace(/_/g, ' ')
  return <Text>{words.charAt(0).toUpperCase() + words.slice(1)}</Text>
}

export default withShowLabel(EnumLabelValue)
