import React from 'react'
import { Badge } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'
import { withShowLabel } from './ShowLabel.js'

// One colour a level, from most to least urgent, readable as white text.
const COLOUR: Record<string, string> = { P1: '#b91c1c', P2: '#c2410c', P3: '#1d4ed8', INFO: '#6b7280' }

/** A report's priority as a coloured badge; "unscored" until triage has run. */
const PriorityBadgeValue: React.FC<BasePropertyProps> = ({ record, property }) => {
  const value = record?.params?.[property.path] as string | undefined
  if (!value) return <Badge variant="secondary" outline>unscored</Badge>
  return <Badge style={{ backgroundColor: COLOUR[value] ?? '#6b7280', color: '#fff', borderColor: 'transparent' }}>{value}</Badge>
}

export default withShowLabel(PriorityBadgeValue)
