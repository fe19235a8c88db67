import React from 'react'
import { Box, Label } from '@adminjs/design-system'
import { useTranslation, type BasePropertyProps } from 'adminjs'

/** On a show page a custom property component must draw its own label, as AdminJS's do. */
const ShowLabel: React.FC<Pick<BasePropertyProps, 'property' | 'where'> & { children: React.ReactNode }> = ({ property, where, children }) => {
  const { translateProperty } = useTranslation()
  if (where !== 'show') return <>{children}</>
  return (
    <Box mb="xl">
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      {children}
    </Box>
  )
}

export default ShowLabel

/** Wraps a property component so that on a show page it carries its label. */
export function withShowLabel(Component: React.FC<BasePropertyProps>): React.FC<BasePropertyProps> {
  const Labelled: React.FC<BasePropertyProps> = (props) => (
    <ShowLabel property={props.property} where={props.where}>
      <Component {...props} />
    </ShowLabel>
  )
  return Labelled
}
