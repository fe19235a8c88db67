// A small, safe XML reader: a strict parser (saxes) into a plain element tree, with bounds on
// everything a hostile body could inflate. No DTDs, so no entity expansion and no XXE.
import { SaxesParser } from 'saxes'

export type XmlElement = {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** Character data directly inside this element (not its children's). */
  text: string
  line: number
}

export type XmlLimits = { maxElements: number; maxDepth: number; maxTextLength: number; maxAttributes: number }

export const DEFAULT_XML_LIMITS: XmlLimits = { maxElements: 5000, maxDepth: 24, maxTextLength: 65_536, maxAttributes: 16 }

/** The body is not well-formed XML, or breaks a bound; `line` is where the reader stopped. */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError'
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message)
  }
}

export function parseXml(body: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  const parser = new SaxesParser({ position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  let elements = 0
  let failure: XmlSyntaxError | null = null
  const fail = (message: string) => {
    failure ??= new XmlSyntaxError(message, parser.line)
    throw failure
  }

  parser.on('doctype', () => fail('a DOCTYPE is not accepted (no DTDs or entities)'))
  parser.on('processinginstruction', (pi) => fail(`processing instruction <?${pi.target}?> is not accepted`))
  parser.on('opentag', (tag) => {
    if (++elements > limits.maxElements) fail(`more than ${limits.maxElements} elements`)
    if (stack.length >= limits.maxDepth) fail(`elements nested deeper than ${limits.maxDepth}`)
    const attributes = tag.attributes as Record<string, string>
    if (Object.keys(attributes).length > limits.maxAttributes) fail(`<${tag.name}> has more than ${limits.maxAttributes} attributes`)
    const element: XmlElement = { name: tag.name, attributes, children: [], text: '', line: parser.line }
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(element)
    else if (root) fail('more than one root element')
    else root = element
    stack.push(element)
  })
  parser.on('closetag', () => {
    stack.pop()
  })
  const addText = (text: string) => {
    const current = stack[stack.length - 1]
    if (!current) {
      if (text.trim()) fail('text outside the root element')
      return
    }
    if (current.text.length + text.length > limits.maxTextLength) fail(`<${current.name}> holds more than ${limits.maxTextLength} characters`)
    current.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('error', (err) => {
    failure ??= new XmlSyntaxError(err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), parser.line)
    throw failure
  })

  try {
    parser.write(body).close()
  } catch (err) {
    if (failure) throw failure
    throw new XmlSyntaxError((err as Error).message)
  }
  if (!root) throw new XmlSyntaxError('the body holds no XML element')
  return root
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}
