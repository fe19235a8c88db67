// From a schema-valid <report> or <fileDetails> to the rows we store, with the checks a schema
// cannot make (the second validation layer): IP literals, no dates in the future, hash formats
// per hashType, and the protocol's cross-field rules.
import { isIP } from 'node:net'
import type { HashType, IncidentType, PartyIdentifierKind, PartyRole, ReportAnnotation } from '@prisma/client'
import type { XmlObject, XmlValue } from '../../lib/xml-schema.js'
import { normaliseHash } from '../hashes/hash-formats.js'
import { INCIDENT_TYPE_VALUES, INTERNET_DETAIL_TYPES } from './intake.schemas.js'

export type IntakeProblem = { path: string; message: string }

export const INCIDENT_TYPES: Record<(typeof INCIDENT_TYPE_VALUES)[number], IncidentType> = {
  'Child Pornography (possession, manufacture, and distribution)': 'CHILD_PORNOGRAPHY',
  'Child Sex Trafficking': 'CHILD_SEX_TRAFFICKING',
  'Child Sex Tourism': 'CHILD_SEX_TOURISM',
  'Child Sexual Molestation': 'CHILD_SEXUAL_MOLESTATION',
  'Misleading Domain Name': 'MISLEADING_DOMAIN_NAME',
  'Misleading Words or Digital Images on the Internet': 'MISLEADING_WORDS_OR_DIGITAL_IMAGES',
  'Online Enticement of Children for Sexual Acts': 'ONLINE_ENTICEMENT',
  'Unsolicited Obscene Material Sent to a Child': 'UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD',
}

const ANNOTATIONS: Record<string, ReportAnnotation> = {
  sextortion: 'SEXTORTION',
  csamSolicitation: 'CSAM_SOLICITATION',
  minorToMinorInteraction: 'MINOR_TO_MINOR_INTERACTION',
  spam: 'SPAM',
  sadisticOnlineExploitation: 'SADISTIC_ONLINE_EXPLOITATION',
  informational: 'INFORMATIONAL',
}

/** Hash type labels published clients send, to ours. Other labels are kept, unchecked. */
const HASH_TYPES: Record<string, HashType> = { MD5: 'MD5', SHA1: 'SHA1', 'SHA-1': 'SHA1', SHA256: 'SHA256', 'SHA-256': 'SHA256', PDQ: 'PDQ' }

/** Dates a future value is allowed in: when a temporarily disabled account will be enabled again. */
const FUTURE_ALLOWED = new Set(['reenabledDate'])
/** Clock skew allowed between an ESP's clock and ours. */
const SKEW_MS = 5 * 60_000

export type PartyRow = {
  role: PartyRole
  screenName: string | null
  displayName: string | null
  espIdentifier: string | null
  espService: string | null
  firstName: string | null
  lastName: string | null
  age: number | null
  dateOfBirth: Date | null
  emails: string[]
  phones: string[]
  profileUrls: string[]
  ipCaptureEvents: XmlObject[] | null
  estimatedLocation: XmlObject | null
  details: XmlObject | null
  identifiers: { kind: PartyIdentifierKind; value: string }[]
}

export type SubmittedReport = {
  incidentType: IncidentType
  incidentAt: Date
  incidentDateTimeDescription: string | null
  platform: string | null
  escalationText: string | null
  annotations: ReportAnnotation[]
  batchedReason: string | null
  internetDetails: XmlObject[]
  reporterDetails: XmlObject
  additionalInfo: string | null
  parties: PartyRow[]
}

export type SubmittedFileDetails = {
  reportId: number
  fileId: string
  fileName: string | null
  originalFileName: string | null
  uploadedToEspAt: Date | null
  locationOfFile: string | null
  fileViewedByEsp: boolean | null
  exifViewedByEsp: boolean | null
  publiclyAvailable: boolean | null
  fileRelevance: string | null
  industryClassification: string | null
  fileAnnotations: string[]
  pdq: string | null
  details: XmlObject
}

const text = (v: XmlValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null)
const obj = (v: XmlValue | undefined): XmlObject | undefined => (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? v : undefined)
const list = (v: XmlValue | undefined): XmlObject[] => (Array.isArray(v) ? (v.filter((x) => obj(x)) as XmlObject[]) : [])
const strings = (v: XmlValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [])
/** The text of simple-content elements (emails, phones): `{ value, type, ... }`. */
const values = (v: XmlValue | undefined): string[] => list(v).map((x) => text(x.value)).filter((x): x is string => x !== null)

/**
 * The checks every document gets, wherever the element sits: IP literals are addresses, dates
 * are not in the future, e-mail addresses look like e-mail addresses, country codes are codes.
 */
function checkEverywhere(value: XmlValue | undefined, path: string, now: Date, problems: IntakeProblem[]) {
  if (Array.isArray(value)) return value.forEach((item, i) => checkEverywhere(item, `${path}[${i + 1}]`, now, problems))
  const o = obj(value)
  if (!o) return
  for (const [key, child] of Object.entries(o)) {
    const childPath = `${path}/${key}`
    if (child instanceof Date) {
      if (!FUTURE_ALLOWED.has(key) && child.getTime() > now.getTime() + SKEW_MS) problems.push({ path: childPath, message: `${child.toISOString()} is in the future` })
    } else if (key === 'ipAddress' && typeof child === 'string') {
      // PostgreSQL's inet takes no IPv6 zone ("%eth0"); neither does a report's address.
      if (!isIP(child) || child.includes('%')) problems.push({ path: childPath, message: `"${child}" is not an IPv4 or IPv6 address` })
    } else if ((key === 'countryCode' || key === 'country' || key === 'fleaCountry') && typeof child === 'string') {
      if (!/^[A-Z0-9]{2}$/.test(child)) problems.push({ path: childPath, message: `"${child}" is not a two-letter country code (ISO 3166-1 alpha-2)` })
    } else {
      checkEverywhere(child, childPath, now, problems)
    }
  }
  for (const key of ['email', 'emailAddress']) {
    list(o[key]).forEach((e, i) => {
      const address = text(e.value)
      if (address && !/^[^\s@]+@[^\s@]+$/.test(address)) problems.push({ path: `${path}/${key}[${i + 1}]`, message: `"${address}" is not an e-mail address` })
    })
  }
}

function normalisePhone(value: string): string {
  const digits = value.replace(/[^\d]/g, '')
  return value.trim().startsWith('+') ? `+${digits}` : digits
}

/** The identifiers "prior reports about the same account" are looked up by, normalised. */
function identifiersOf(party: XmlObject, person: XmlObject | undefined): PartyRow['identifiers'] {
  const found = new Map<string, { kind: PartyIdentifierKind; value: string }>()
  const add = (kind: PartyIdentifierKind, raw: string | null) => {
    if (!raw) return
    const value = kind === 'EMAIL' || kind === 'SCREEN_NAME' ? raw.trim().toLowerCase() : kind === 'PHONE' ? normalisePhone(raw) : raw.trim()
    if (value) found.set(`${kind} ${value}`, { kind, value })
  }
  const accounts = [party, ...list(party.associatedAccount)]
  for (const account of accounts) {
    add('SCREEN_NAME', text(account.screenName))
    add('ESP_IDENTIFIER', text(account.espIdentifier))
    strings(account.profileUrl).forEach((url) => add('PROFILE_URL', url))
    values(account.email).forEach((e) => add('EMAIL', e))
    values(account.phone).forEach((p) => add('PHONE', p))
    list(account.ipCaptureEvent).forEach((event) => add('IP_ADDRESS', text(event.ipAddress)))
  }
  if (person) {
    values(person.email).forEach((e) => add('EMAIL', e))
    values(person.phone).forEach((p) => add('PHONE', p))
  }
  return [...found.values()]
}

function partyRow(role: PartyRole, personKey: string, party: XmlObject): PartyRow {
  const person = obj(party[personKey])
  const { [personKey]: _person, screenName, displayName, espIdentifier, espService, profileUrl, ipCaptureEvent, estimatedLocation, ...rest } = party
  const displayNames = strings(displayName)
  const details: XmlObject = { ...rest, ...(displayNames.length > 1 ? { displayName: displayNames } : {}) }
  if (person) {
    const { firstName: _f, lastName: _l, age: _a, dateOfBirth: _d, email: _e, phone: _p, ...personRest } = person
    if (Object.keys(personRest).length) details.person = personRest
  }
  const dateOfBirth = person?.dateOfBirth
  return {
    role,
    screenName: text(screenName),
    displayName: displayNames[0] ?? null,
    espIdentifier: text(espIdentifier),
    espService: text(espService),
    firstName: text(person?.firstName),
    lastName: text(person?.lastName),
    age: typeof person?.age === 'number' ? person.age : null,
    dateOfBirth: dateOfBirth instanceof Date ? dateOfBirth : null,
    emails: values(person?.email),
    phones: values(person?.phone),
    profileUrls: strings(profileUrl),
    ipCaptureEvents: list(ipCaptureEvent).length ? list(ipCaptureEvent) : null,
    estimatedLocation: obj(estimatedLocation) ?? null,
    details: Object.keys(details).length ? details : null,
    identifiers: identifiersOf(party, person),
  }
}

export function mapReport(report: XmlObject, now: Date): { ok: true; report: SubmittedReport } | { ok: false; problems: IntakeProblem[] } {
  const problems: IntakeProblem[] = []
  checkEverywhere(report, '/report', now, problems)
  if (problems.length) return { ok: false, problems }

  const summary = obj(report.incidentSummary)!
  const annotations = obj(summary.reportAnnotations) ?? {}
  const internetDetails = list(report.internetDetails).map((detail) => {
    const type = INTERNET_DETAIL_TYPES.find((t) => t in detail)!
    return { type, ...obj(detail[type]) }
  })
  const reporter = obj(report.reporter)!
  const lawEnforcement = obj(report.lawEnforcement)
  const parties: PartyRow[] = []
  const reported = obj(report.personOrUserReported)
  if (reported) parties.push(partyRow('REPORTED_USER', 'personOrUserReportedPerson', reported))
  for (const recipient of list(report.intendedRecipient)) parties.push(partyRow('INTENDED_RECIPIENT', 'intendedRecipientPerson', recipient))
  for (const victim of list(report.victim)) parties.push(partyRow('VICTIM', 'victimPerson', victim))

  return {
    ok: true,
    report: {
      incidentType: INCIDENT_TYPES[summary.incidentType as keyof typeof INCIDENT_TYPES],
      incidentAt: summary.incidentDateTime as Date,
      incidentDateTimeDescription: text(summary.incidentDateTimeDescription),
      platform: text(summary.platform),
      escalationText: text(summary.escalateToHighPriority),
      annotations: Object.entries(ANNOTATIONS).filter(([flag]) => annotations[flag] === true).map(([, annotation]) => annotation),
      batchedReason: text(obj(report.batchedReport)?.reason),
      internetDetails,
      reporterDetails: { ...reporter, ...(lawEnforcement ? { lawEnforcement } : {}) },
      additionalInfo: text(report.additionalInfo),
      parties,
    },
  }
}

export function mapFileDetails(details: XmlObject, now: Date): { ok: true; file: SubmittedFileDetails } | { ok: false; problems: IntakeProblem[] } {
  const problems: IntakeProblem[] = []
  checkEverywhere(details, '/fileDetails', now, problems)
  const annotations = obj(details.fileAnnotations) ?? {}
  const fileAnnotations = Object.keys(annotations).filter((flag) => annotations[flag] === true)
  if (details.potentialMeme === true && !fileAnnotations.includes('potentialMeme')) fileAnnotations.push('potentialMeme')
  const relevance = text(details.fileRelevance)
  const classification = text(details.industryClassification)
  if (relevance === 'Supplemental Reported' && classification) {
    problems.push({ path: '/fileDetails/industryClassification', message: 'is not allowed on a file whose fileRelevance is "Supplemental Reported"' })
  }
  if (relevance === 'Supplemental Reported' && fileAnnotations.includes('potentialMeme')) {
    problems.push({ path: '/fileDetails/potentialMeme', message: 'is not allowed on a file whose fileRelevance is "Supplemental Reported"' })
  }
  let pdq: string | null = null
  const originalFileHash = list(details.originalFileHash).map((hash, i) => {
    const label = String(hash.hashType ?? '')
    const hashType = HASH_TYPES[label.toUpperCase()]
    const value = text(hash.value) ?? ''
    const path = `/fileDetails/originalFileHash[${i + 1}]`
    if (!hashType) {
      if (value.length > 512) problems.push({ path, message: `a ${label} hash of ${value.length} characters is longer than 512` })
      return { hashType: label, value }
    }
    const normalised = normaliseHash(hashType, value)
    if ('error' in normalised) {
      problems.push({ path, message: normalised.error })
      return { hashType, value }
    }
    if (hashType === 'PDQ') pdq = normalised.value
    return { hashType, value: normalised.value }
  })
  if (problems.length) return { ok: false, problems }

  const { reportId, fileId, fileName, originalFileName, uploadedToEspTimestamp, locationOfFile, fileViewedByEsp, exifViewedByEsp, publiclyAvailable, fileRelevance: _r, potentialMeme: _p, fileAnnotations: _a, industryClassification: _c, originalFileHash: _h, ...rest } = details
  const bool = (v: XmlValue | undefined) => (typeof v === 'boolean' ? v : null)
  return {
    ok: true,
    file: {
      reportId: reportId as number,
      fileId: String(fileId),
      fileName: text(fileName),
      originalFileName: text(originalFileName),
      uploadedToEspAt: uploadedToEspTimestamp instanceof Date ? uploadedToEspTimestamp : null,
      locationOfFile: text(locationOfFile),
      fileViewedByEsp: bool(fileViewedByEsp),
      exifViewedByEsp: bool(exifViewedByEsp),
      publiclyAvailable: bool(publiclyAvailable),
      fileRelevance: relevance ?? 'Reported',
      industryClassification: classification,
      fileAnnotations,
      pdq,
      details: { ...(originalFileHash.length ? { originalFileHash } : {}), ...rest },
    },
  }
}
