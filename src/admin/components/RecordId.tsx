import React from 'react'
import { Text } from '@adminjs/design-system'
import type { BasePropertyProps } from 'adminjs'

/** A record id on one line (AdminJS's id column is narrow and would wrap it digit by digit). */
const RecordId: React.FC<BasePropertyProps> = ({ record, property }) => (
  <Text style={{ whiteSpace: 'nowrap' }}>{String(record?.params?.[property.path] ?? '')}</Text>
)

export default RecordId
