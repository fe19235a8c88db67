import Handlebars from 'handlebars'
import { describe, expect, it } from 'vitest'
import { renderEmail, TEMPLATE_NAMES, templates, TemplateDataError } from '../../src/modules/notifications/templates.js'

describe('email templates', () => {
  it.each(TEMPLATE_NAMES)('%s renders its example as HTML and text', (name) => {
    const email = renderEmail(name, templates[name].example)
    expect(email.subject.length).toBeGreaterThan(5)
    expect(email.html).toContain('<html')
    expect(email.html).toContain('This message carries identifiers only')
    expect(email.text).toContain('This message carries identifiers only')
    expect(email.text).not.toContain('<')
    // A link to act on, and nothing that looks like a hash.
    expect(email.text).toMatch(/https?:\/\//)
    expect(`${email.html}${email.text}`).not.toMatch(/\b[0-9a-f]{32,}\b/i)
  })

  it('refuses data that does not fit the template, naming the field', () => {
    expect(() => renderEmail('p1-report', { ...templates['p1-report'].example, reportId: undefined })).toThrowError(TemplateDataError)
    expect(() => renderEmail('p1-report', { ...templates['p1-report'].example, reportId: undefined })).toThrowError(/reportId/)
    // No room for report text, names or hashes: unknown fields are refused too.
    expect(() => renderEmail('p1-report', { ...templates['p1-report'].example, md5: 'd41d8cd98f00b204e9800998ecf8427e' })).toThrowError(/Unrecognized key/)
    expect(() => renderEmail('no-such-template', {})).toThrowError(/No email template named "no-such-template"/)
  })

  it('escapes what it shows in HTML', () => {
    const email = renderEmail('registration-decision', { ...templates['registration-decision'].example, reason: '<script>alert(1)</script>' })
    expect(email.html).not.toContain('<script>')
    expect(email.html).toContain('&lt;script&gt;')
  })

  it('compiles in strict mode: a missing variable is an error, not a blank', () => {
    const template = Handlebars.compile('Report {{reportId}}', { strict: true })
    expect(() => template({})).toThrowError(/"reportId" not defined/)
  })
})
