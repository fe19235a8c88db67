// A schema for XML documents as data: one definition that both validates a parsed element
// tree (order, occurrences, types, enumerations) and is written out as the XSD we publish, so
// the two cannot disagree. It covers the part of XSD the protocols we speak use: sequences,
// choices, simple content with attributes, and restricted strings, numbers and enumerations.
import type { XmlElement } from './xml.js'

export type SimpleType =
  | { base: 'string'; maxLength?: number; name?: string }
  | { base: 'boolean' }
  | { base: 'dateTime' }
  | { base: 'date' }
  | { base: 'long'; min?: number; max?: number }
  | { base: 'int'; min?: number; max?: number }
  | { base: 'decimal'; min?: number; max?: number }
  /** variants: values published clients send, accepted and normalised to the canonical value. */
  | { base: 'enum'; name: string; values: readonly string[]; variants?: Readonly<Record<string, string>>; doc?: string }

export type AttributeDecl = { name: string; type: SimpleType; required?: boolean; doc?: string }

export type ComplexType = {
  kind: 'complex'
  name: string
  /** sequence: children in this order; choice: exactly one of them; simple: text + attributes; empty: attributes only. */
  content: 'sequence' | 'choice' | 'simple' | 'empty'
  elements?: ElementDecl[]
  text?: SimpleType
  attributes?: AttributeDecl[]
  doc?: string
}

export type ElementDecl = {
  name: string
  type: SimpleType | ComplexType
  min?: number
  max?: number | 'unbounded'
  /** The value of an empty element (XSD default): lets `<flag/>` mean `<flag>true</flag>`. */
  default?: string
  doc?: string
}

export type XmlValue = string | number | boolean | Date | XmlObject | XmlValue[]
export type XmlObject = { [key: string]: XmlValue | undefined }

export type SchemaProblem = { path: string; line: number; message: string }
export type Normalisation = { path: string; from: string; to: string }

export type ValidationResult =
  | { ok: true; value: XmlObject; normalised: Normalisation[] }
  | { ok: false; problems: SchemaProblem[] }

const MAX_PROBLEMS = 20
const IGNORED_ATTRIBUTE = /^(xmlns(:.*)?|xsi:.*)$/

export function complex(name: string, content: ComplexType['content'], parts: Omit<ComplexType, 'kind' | 'name' | 'content'> = {}): ComplexType {
  return { kind: 'complex', name, content, ...parts }
}

function isComplex(type: SimpleType | ComplexType): type is ComplexType {
  return (type as ComplexType).kind === 'complex'
}

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/
const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/
const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

function describeEnum(values: readonly string[]): string {
  return values.length <= 12 ? values.map((v) => `"${v}"`).join(', ') : `${values.slice(0, 12).map((v) => `"${v}"`).join(', ')}, ...`
}

/** Converts one lexical value, or says what is wrong with it. */
function readSimple(type: SimpleType, raw: string): { value: string | number | boolean | Date; normalisedFrom?: string } | { error: string } {
  const text = raw.trim()
  switch (type.base) {
    case 'string':
      if (type.maxLength !== undefined && text.length > type.maxLength) return { error: `is ${text.length} characters long; at most ${type.maxLength} are allowed` }
      return { value: text }
    case 'boolean':
      if (text === 'true' || text === '1') return { value: true }
      if (text === 'false' || text === '0') return { value: false }
      return { error: `"${clip(text)}" is not a boolean (true, false, 1 or 0)` }
    case 'dateTime': {
      const m = DATE_TIME.exec(text)
      // Without a time zone the value is read as UTC (the protocol's clients send Z or an offset).
      const date = m ? new Date(m[8] ? text : `${text}Z`) : null
      if (!m || !date || Number.isNaN(date.getTime()) || Number(m[2]) > 12 || Number(m[3]) > 31) return { error: `"${clip(text)}" is not an xs:dateTime (e.g. 2026-01-31T13:45:00Z)` }
      return { value: date }
    }
    case 'date': {
      const m = DATE.exec(text)
      const date = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : null
      if (!m || !date || Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3])) return { error: `"${clip(text)}" is not an xs:date (e.g. 2010-01-31)` }
      return { value: date }
    }
    case 'long':
    case 'int':
    case 'decimal': {
      const pattern = type.base === 'decimal' ? DECIMAL : INTEGER
      const value = Number(text)
      const bounds = type.base === 'int' ? { min: -2_147_483_648, max: 2_147_483_647 } : { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }
      const min = type.min ?? bounds.min
      const max = type.max ?? bounds.max
      if (!pattern.test(text) || !Number.isFinite(value)) return { error: `"${clip(text)}" is not ${type.base === 'decimal' ? 'a decimal number' : 'an integer'}` }
      if (value < min || value > max) return { error: `${text} is outside ${min}..${max}` }
      return { value }
    }
    case 'enum': {
      if (type.values.includes(text)) return { value: text }
      const canonical = type.variants?.[text]
      if (canonical) return { value: canonical, normalisedFrom: text }
      return { error: `"${clip(text)}" is not one of ${describeEnum(type.values)}` }
    }
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Validates a parsed element against its declaration and returns the typed value. */
export function validateXml(root: XmlElement, rootDecl: ElementDecl): ValidationResult {
  const problems: SchemaProblem[] = []
  const normalised: Normalisation[] = []
  const problem = (path: string, line: number, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, line, message })
  }

  function readElement(element: XmlElement, decl: ElementDecl, path: string): XmlValue | undefined {
    const type = decl.type
    if (!isComplex(type)) {
      if (element.children.length) problem(path, element.line, `must hold text only, not <${element.children[0]!.name}>`)
      readAttributes(element, [], path)
      const raw = element.text.trim() === '' && decl.default !== undefined ? decl.default : element.text
      return readValue(type, raw, path, element.line)
    }
    const out: XmlObject = {}
    if (type.content === 'simple') {
      if (element.children.length) problem(path, element.line, `must hold text only, not <${element.children[0]!.name}>`)
      const raw = element.text.trim() === '' && decl.default !== undefined ? decl.default : element.text
      out.value = readValue(type.text ?? { base: 'string' }, raw, path, element.line)
    } else {
      if (element.text.trim()) problem(path, element.line, `must hold elements only, not the text "${clip(element.text.trim())}"`)
      if (type.content === 'empty' && element.children.length) problem(path, element.line, `must be empty, not hold <${element.children[0]!.name}>`)
      if (type.content === 'sequence') readSequence(element, type.elements ?? [], path, out)
      if (type.content === 'choice') readChoice(element, type.elements ?? [], path, out)
    }
    Object.assign(out, readAttributes(element, type.attributes ?? [], path, out))
    return out
  }

  function readValue(type: SimpleType, raw: string, path: string, line: number) {
    const read = readSimple(type, raw)
    if ('error' in read) {
      problem(path, line, read.error)
      return undefined
    }
    if (read.normalisedFrom !== undefined) normalised.push({ path, from: read.normalisedFrom, to: String(read.value) })
    return read.value
  }

  function readAttributes(element: XmlElement, decls: AttributeDecl[], path: string, existing: XmlObject = {}): XmlObject {
    const out: XmlObject = {}
    for (const [name, raw] of Object.entries(element.attributes)) {
      if (IGNORED_ATTRIBUTE.test(name)) continue
      const decl = decls.find((d) => d.name === name)
      if (!decl) {
        problem(`${path}/@${name}`, element.line, decls.length ? `is not an attribute of <${element.name}> (allowed: ${decls.map((d) => d.name).join(', ')})` : `is not an attribute of <${element.name}>`)
        continue
      }
      // An attribute that shares a child element's name keeps both: the attribute under "@name".
      out[name in existing ? `@${name}` : name] = readValue(decl.type, raw, `${path}/@${name}`, element.line)
    }
    for (const decl of decls) {
      if (decl.required && !(decl.name in element.attributes)) problem(`${path}/@${decl.name}`, element.line, 'is required')
    }
    return out
  }

  function store(out: XmlObject, decl: ElementDecl, value: XmlValue | undefined) {
    if (value === undefined) return
    if (isMany(decl)) ((out[decl.name] ??= []) as XmlValue[]).push(value)
    else out[decl.name] = value
  }

  function readSequence(element: XmlElement, decls: ElementDecl[], path: string, out: XmlObject) {
    let at = 0
    const counts = new Map<string, number>()
    // An element that is present but out of order is reported as such, not also as missing.
    const present = new Set(element.children.map((c) => c.name))
    for (const child of element.children) {
      const childPath = `${path}/${child.name}`
      let index = -1
      for (let i = at; i < decls.length; i++) {
        if (decls[i]!.name === child.name) {
          index = i
          break
        }
      }
      if (index === -1) {
        const earlier = decls.findIndex((d) => d.name === child.name)
        if (earlier === -1) problem(childPath, child.line, `is not an element of <${element.name}> (expected one of: ${decls.slice(at).map((d) => d.name).join(', ') || 'nothing more'})`)
        else problem(childPath, child.line, `is out of order: <${child.name}> must come before <${decls[at]!.name}>`)
        continue
      }
      for (let i = at; i < index; i++) if (!present.has(decls[i]!.name)) requireCount(decls[i]!, counts.get(decls[i]!.name) ?? 0, element, path)
      at = index
      const decl = decls[index]!
      const count = (counts.get(decl.name) ?? 0) + 1
      counts.set(decl.name, count)
      const max = decl.max ?? 1
      if (max !== 'unbounded' && count > max) problem(childPath, child.line, `appears more than ${max} time${max === 1 ? '' : 's'}`)
      store(out, decl, readElement(child, decl, childPath))
    }
    for (let i = at; i < decls.length; i++) requireCount(decls[i]!, counts.get(decls[i]!.name) ?? 0, element, path)
  }

  function requireCount(decl: ElementDecl, count: number, parent: XmlElement, path: string) {
    const min = decl.min ?? 1
    if (count < min) problem(`${path}/${decl.name}`, parent.line, min === 1 ? 'is required' : `must appear at least ${min} times`)
  }

  function readChoice(element: XmlElement, decls: ElementDecl[], path: string, out: XmlObject) {
    if (element.children.length !== 1) {
      problem(path, element.line, `must hold exactly one of: ${decls.map((d) => d.name).join(', ')} (found ${element.children.length})`)
    }
    for (const child of element.children) {
      const decl = decls.find((d) => d.name === child.name)
      if (!decl) problem(`${path}/${child.name}`, child.line, `is not one of: ${decls.map((d) => d.name).join(', ')}`)
      else store(out, decl, readElement(child, decl, `${path}/${child.name}`))
    }
  }

  if (root.name !== rootDecl.name) {
    return { ok: false, problems: [{ path: `/${root.name}`, line: root.line, message: `the root element must be <${rootDecl.name}>` }] }
  }
  const value = readElement(root, rootDecl, `/${root.name}`)
  if (problems.length || value === undefined) return { ok: false, problems }
  return { ok: true, value: value as XmlObject, normalised }
}

function isMany(decl: ElementDecl): boolean {
  return decl.max === 'unbounded' || (decl.max ?? 1) > 1
}
