// Writes a schema defined with lib/xml-schema.ts as the XSD text we publish, so what we
// validate against and what clients are given cannot differ.
import { escapeXml } from './xml.js'
import type { AttributeDecl, ComplexType, ElementDecl, SimpleType } from './xml-schema.js'

function isComplex(type: SimpleType | ComplexType): type is ComplexType {
  return (type as ComplexType).kind === 'complex'
}

/** The XSD text of a schema whose document elements are `roots`. */
export function writeXsd(roots: ElementDecl[], doc: string): string {
  const complexTypes = new Map<string, ComplexType>()
  const namedSimple = new Map<string, SimpleType>()
  const visit = (type: SimpleType | ComplexType) => {
    if (isComplex(type)) {
      const seen = complexTypes.get(type.name)
      if (seen && seen !== type) throw new Error(`two complex types are named ${type.name}`)
      if (seen) return
      complexTypes.set(type.name, type)
      for (const element of type.elements ?? []) visit(element.type)
      for (const attribute of type.attributes ?? []) visit(attribute.type)
      if (type.text) visit(type.text)
    } else if (simpleTypeName(type)) {
      namedSimple.set(simpleTypeName(type)!, type)
    }
  }
  for (const root of roots) visit(root.type)

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="unqualified">',
    `  <xs:annotation><xs:documentation>${escapeXml(doc)}</xs:documentation></xs:annotation>`,
  ]
  for (const root of roots) lines.push(...elementXsd(root, '  ', true))
  for (const type of complexTypes.values()) lines.push(...complexXsd(type))
  for (const [name, type] of namedSimple) {
    lines.push(`  <xs:simpleType name="${name}">`, ...documentation(type.base === 'enum' ? type.doc : undefined, '    '), ...restrictionXsd(type, '    '), '  </xs:simpleType>')
  }
  lines.push('</xs:schema>', '')
  return lines.join('\n')
}

function simpleTypeName(type: SimpleType): string | undefined {
  return type.base === 'enum' ? type.name : type.base === 'string' ? type.name : undefined
}

function documentation(doc: string | undefined, indent: string): string[] {
  return doc ? [`${indent}<xs:annotation><xs:documentation>${escapeXml(doc)}</xs:documentation></xs:annotation>`] : []
}

/** A type reference for an attribute or element: a builtin, a named type, or undefined (inline it). */
function typeRef(type: SimpleType | ComplexType): string | undefined {
  if (isComplex(type)) return type.name
  const named = simpleTypeName(type)
  if (named) return named
  if (type.base === 'string' && type.maxLength === undefined) return 'xs:string'
  if ((type.base === 'long' || type.base === 'int' || type.base === 'decimal') && type.min === undefined && type.max === undefined) return `xs:${type.base}`
  if (type.base === 'boolean' || type.base === 'dateTime' || type.base === 'date') return `xs:${type.base}`
  return undefined
}

function restrictionXsd(type: SimpleType, indent: string): string[] {
  switch (type.base) {
    case 'enum': {
      const variants = Object.entries(type.variants ?? {}).map(
        ([variant, canonical]) => `${indent}  <xs:enumeration value="${escapeXml(variant)}"><xs:annotation><xs:documentation>Accepted from published clients; read as "${escapeXml(canonical)}".</xs:documentation></xs:annotation></xs:enumeration>`,
      )
      return [`${indent}<xs:restriction base="xs:string">`, ...type.values.map((v) => `${indent}  <xs:enumeration value="${escapeXml(v)}"/>`), ...variants, `${indent}</xs:restriction>`]
    }
    case 'string':
      return [`${indent}<xs:restriction base="xs:string">`, ...(type.maxLength !== undefined ? [`${indent}  <xs:maxLength value="${type.maxLength}"/>`] : []), `${indent}</xs:restriction>`]
    case 'long':
    case 'int':
    case 'decimal':
      return [
        `${indent}<xs:restriction base="xs:${type.base}">`,
        ...(type.min !== undefined ? [`${indent}  <xs:minInclusive value="${type.min}"/>`] : []),
        ...(type.max !== undefined ? [`${indent}  <xs:maxInclusive value="${type.max}"/>`] : []),
        `${indent}</xs:restriction>`,
      ]
    default:
      return [`${indent}<xs:restriction base="xs:${type.base}"/>`]
  }
}

function elementXsd(decl: ElementDecl, indent: string, top = false): string[] {
  const occurs = top ? '' : `${(decl.min ?? 1) !== 1 ? ` minOccurs="${decl.min}"` : ''}${(decl.max ?? 1) !== 1 ? ` maxOccurs="${decl.max}"` : ''}`
  const defaultValue = decl.default !== undefined ? ` default="${escapeXml(decl.default)}"` : ''
  const ref = typeRef(decl.type)
  if (ref) {
    if (!decl.doc) return [`${indent}<xs:element name="${decl.name}" type="${ref}"${occurs}${defaultValue}/>`]
    return [`${indent}<xs:element name="${decl.name}" type="${ref}"${occurs}${defaultValue}>`, ...documentation(decl.doc, `${indent}  `), `${indent}</xs:element>`]
  }
  return [
    `${indent}<xs:element name="${decl.name}"${occurs}${defaultValue}>`,
    ...documentation(decl.doc, `${indent}  `),
    `${indent}  <xs:simpleType>`,
    ...restrictionXsd(decl.type as SimpleType, `${indent}    `),
    `${indent}  </xs:simpleType>`,
    `${indent}</xs:element>`,
  ]
}

function attributeXsd(decl: AttributeDecl, indent: string): string[] {
  const use = decl.required ? ' use="required"' : ''
  const ref = typeRef(decl.type)
  if (ref) return [`${indent}<xs:attribute name="${decl.name}" type="${ref}"${use}/>`]
  return [`${indent}<xs:attribute name="${decl.name}"${use}>`, `${indent}  <xs:simpleType>`, ...restrictionXsd(decl.type, `${indent}    `), `${indent}  </xs:simpleType>`, `${indent}</xs:attribute>`]
}

function complexXsd(type: ComplexType): string[] {
  const attributes = (type.attributes ?? []).flatMap((a) => attributeXsd(a, type.content === 'simple' ? '        ' : '    '))
  const head = [`  <xs:complexType name="${type.name}">`, ...documentation(type.doc, '    ')]
  if (type.content === 'simple') {
    const base = typeRef(type.text ?? { base: 'string' })
    if (!base) throw new Error(`the text type of ${type.name} must be a builtin or a named type`)
    return [...head, '    <xs:simpleContent>', `      <xs:extension base="${base}">`, ...attributes, '      </xs:extension>', '    </xs:simpleContent>', '  </xs:complexType>']
  }
  if (type.content === 'empty') return [...head, ...attributes, '  </xs:complexType>']
  const group = type.content === 'choice' ? 'xs:choice' : 'xs:sequence'
  return [...head, `    <${group}>`, ...(type.elements ?? []).flatMap((e) => elementXsd(e, '      ')), `    </${group}>`, ...attributes, '  </xs:complexType>']
}
