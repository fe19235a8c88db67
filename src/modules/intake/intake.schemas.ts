// The CyberTipline reporting protocol's documents, <report> and <fileDetails>, as data, in the
// XSD's sequence order (../shared/domain/cybertipline-research.md, sections 1.4 and 1.5). The
// same definition validates what ESPs send and is served at /ispws/xsd.
import { complex, type ElementDecl, type SimpleType } from '../../lib/xml-schema.js'
import { writeXsd } from '../../lib/xsd-writer.js'

const str = (maxLength?: number): SimpleType => (maxLength ? { base: 'string', maxLength } : { base: 'string' })
const bool: SimpleType = { base: 'boolean' }
const dateTime: SimpleType = { base: 'dateTime' }
const date: SimpleType = { base: 'date' }
const long: SimpleType = { base: 'long', min: 0 }

const opt = (name: string, type: ElementDecl['type'], doc?: string): ElementDecl => ({ name, type, min: 0, ...(doc ? { doc } : {}) })
const req = (name: string, type: ElementDecl['type'], doc?: string): ElementDecl => ({ name, type, ...(doc ? { doc } : {}) })
const many = (name: string, type: ElementDecl['type'], doc?: string): ElementDecl => ({ name, type, min: 0, max: 'unbounded', ...(doc ? { doc } : {}) })
/** A yes/no flag: `<x/>` and `<x>true</x>` both mean true (published clients send either). */
const flag = (name: string): ElementDecl => ({ name, type: bool, min: 0, default: 'true' })

/** The exact XSD strings, in the order of section 2.1. */
export const INCIDENT_TYPE_VALUES = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Child Sex Trafficking',
  'Child Sex Tourism',
  'Child Sexual Molestation',
  'Misleading Domain Name',
  'Misleading Words or Digital Images on the Internet',
  'Online Enticement of Children for Sexual Acts',
  'Unsolicited Obscene Material Sent to a Child',
] as const

const incidentType: SimpleType = {
  base: 'enum',
  name: 'IncidentType',
  values: INCIDENT_TYPE_VALUES,
  // @civitai/cybertipline-tools 0.1.0 sends the singular.
  variants: { 'Online Enticement of Children for Sexual Act': 'Online Enticement of Children for Sexual Acts' },
}

export const EVENT_NAMES = ['Login', 'Registration', 'Purchase', 'Upload', 'Other', 'Unknown'] as const
const eventName: SimpleType = { base: 'enum', name: 'EventName', values: EVENT_NAMES }

export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD',
  'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD',
  'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'AS', 'GU', 'MP', 'PR', 'VI', 'UM', 'AA', 'AE', 'AP',
] as const

const usState: SimpleType = { base: 'enum', name: 'UsState', values: US_STATES }
/** ISO 3166-1 alpha-2, plus the pseudo-codes the protocol allows; checked for shape here. */
const countryCode: SimpleType = { base: 'string', maxLength: 2, name: 'CountryCode' }

const email = complex('Email', 'simple', {
  text: str(),
  attributes: [
    { name: 'type', type: { base: 'enum', name: 'EmailType', values: ['Home', 'Work', 'Business', 'Recovery'] } },
    { name: 'verified', type: bool },
    { name: 'verificationDate', type: dateTime },
  ],
})

const phone = complex('Phone', 'simple', {
  text: str(),
  attributes: [
    { name: 'type', type: { base: 'enum', name: 'PhoneType', values: ['Mobile', 'Home', 'Business', 'Work', 'Fax', 'Internet', 'Recovery'] } },
    { name: 'verified', type: bool },
    { name: 'verificationDate', type: dateTime },
    { name: 'countryCallingCode', type: str(8) },
    { name: 'extension', type: str(16) },
  ],
})

const address = complex('Address', 'sequence', {
  elements: [opt('address', str(512)), opt('city', str(256)), opt('zipCode', str(32)), opt('state', usState), opt('nonUsaState', str(256)), opt('country', countryCode)],
  attributes: [{ name: 'type', type: { base: 'enum', name: 'AddressType', values: ['Home', 'Business', 'Billing', 'Shipping', 'Technical'] } }],
})

const person = complex('Person', 'sequence', {
  elements: [opt('firstName', str(256)), opt('lastName', str(256)), many('phone', phone), many('email', email), many('address', address), opt('age', { base: 'int', min: 0, max: 130 }), opt('dateOfBirth', date)],
})

const contactPerson = complex('ContactPerson', 'sequence', {
  elements: [opt('firstName', str(256)), opt('lastName', str(256)), many('phone', phone), many('email', email), many('address', address)],
})

const ipCaptureEvent = complex('IpCaptureEvent', 'sequence', {
  doc: 'An IP address seen for the account, with the event that revealed it. Order matters.',
  elements: [req('ipAddress', str(64)), opt('eventName', eventName), opt('dateTime', dateTime), opt('possibleProxy', bool), opt('port', { base: 'int', min: 0, max: 65535 })],
})

const deviceId = complex('DeviceId', 'sequence', {
  elements: [opt('idType', str(64)), req('idValue', str(256)), opt('eventName', eventName), opt('dateTime', dateTime)],
})

const estimatedLocation = complex('EstimatedLocation', 'sequence', {
  elements: [opt('city', str(256)), opt('region', str(256)), opt('countryCode', countryCode)],
  attributes: [{ name: 'verified', type: bool }, { name: 'timestamp', type: dateTime }],
})

const accountTemporarilyDisabled = complex('AccountTemporarilyDisabled', 'simple', {
  text: bool,
  attributes: [{ name: 'disabledDate', type: dateTime }, { name: 'userNotified', type: bool }, { name: 'userNotifiedDate', type: dateTime }, { name: 'reenabledDate', type: dateTime }],
})
const accountPermanentlyDisabled = complex('AccountPermanentlyDisabled', 'simple', {
  text: bool,
  attributes: [{ name: 'disabledDate', type: dateTime }, { name: 'userNotified', type: bool }, { name: 'userNotifiedDate', type: dateTime }],
})

const accountType: SimpleType = { base: 'enum', name: 'AssociatedAccountType', values: ['Billing', 'Linked', 'Business', 'Creator', 'Parent/Guardian', 'Other'] }
const associatedAccount = complex('AssociatedAccount', 'sequence', {
  elements: [
    opt('platform', complex('AssociatedPlatform', 'simple', { text: str(), attributes: [{ name: 'thirdPartyUser', type: bool }] })),
    opt('firstName', str(256)),
    opt('middleName', str(256)),
    opt('lastName', str(256)),
    opt('approximateAge', { base: 'int', min: 0, max: 130 }),
    opt('dateOfBirth', date),
    many('phone', phone),
    many('email', email),
    flag('allEmailsReported'),
    many('address', address),
    opt('espService', str(100)),
    opt('espIdentifier', str(255)),
    many('profileUrl', str(2083)),
    opt('screenName', str(256)),
    many('displayName', str(256)),
    opt('profileBio', str(4000)),
    opt('groupIdentifier', str(255)),
    flag('compromisedAccount'),
    opt('accountTemporarilyDisabled', accountTemporarilyDisabled),
    opt('accountPermanentlyDisabled', accountPermanentlyDisabled),
    many('ipCaptureEvent', ipCaptureEvent),
    many('deviceId', deviceId),
    many('priorCTReport', long),
    opt('additionalInfo', str(10_000)),
  ],
  // Boostport's XSD snapshot names the attribute `type`; Nachtalb's client sends `accountType`.
  attributes: [{ name: 'type', type: accountType }, { name: 'accountType', type: accountType }],
})

/** What every account-like party shares after its person element, in XSD order. */
function accountElements(options: { vehicle?: boolean; thirdParty?: boolean; school?: boolean; group?: boolean }): ElementDecl[] {
  return [
    ...(options.vehicle ? [opt('vehicleDescription', str(300))] : []),
    opt('espIdentifier', str(255)),
    opt('espService', str(100)),
    flag('compromisedAccount'),
    opt('screenName', str(256)),
    many('displayName', str(256)),
    many('profileUrl', str(2083)),
    opt('profileBio', str(4000)),
    many('ipCaptureEvent', ipCaptureEvent),
    many('deviceId', deviceId),
    ...(options.thirdParty ? [flag('thirdPartyUserReported')] : []),
    ...(options.school ? [opt('schoolName', str(256))] : []),
    many('priorCTReports', long),
    ...(options.group ? [opt('groupIdentifier', str(255))] : []),
    opt('accountTemporarilyDisabled', accountTemporarilyDisabled),
    opt('accountPermanentlyDisabled', accountPermanentlyDisabled),
    opt('estimatedLocation', estimatedLocation),
    flag('allEmailsReported'),
    many('associatedAccount', associatedAccount),
    opt('additionalInfo', str(10_000)),
  ]
}

const personOrUserReported = complex('PersonOrUserReported', 'sequence', {
  doc: 'The suspect: the person or account the report is about.',
  elements: [opt('personOrUserReportedPerson', person), ...accountElements({ vehicle: true, thirdParty: true, group: true })],
})
const intendedRecipient = complex('IntendedRecipient', 'sequence', {
  elements: [opt('intendedRecipientPerson', person), ...accountElements({ group: true })],
})
const victim = complex('Victim', 'sequence', {
  elements: [req('victimPerson', person), ...accountElements({ school: true })],
})

const additionalInfo = str(10_000)
const internetDetails = complex('InternetDetails', 'choice', {
  doc: 'Where the incident happened: exactly one subtype per internetDetails element.',
  elements: [
    req('webPageIncident', complex('WebPageIncident', 'sequence', {
      elements: [many('url', str(2083)), opt('additionalInfo', additionalInfo)],
      attributes: [{ name: 'thirdPartyHostedContent', type: bool }],
    })),
    req('emailIncident', complex('EmailIncident', 'sequence', { elements: [many('emailAddress', email), opt('content', str(10_000)), opt('additionalInfo', additionalInfo)] })),
    req('newsgroupIncident', complex('NewsgroupIncident', 'sequence', { elements: [opt('name', str(256)), many('emailAddress', email), opt('content', str(10_000)), opt('additionalInfo', additionalInfo)] })),
    req('chatImIncident', complex('ChatImIncident', 'sequence', { elements: [opt('chatClient', str(256)), opt('chatRoomName', str(256)), opt('content', str(10_000)), opt('additionalInfo', additionalInfo)] })),
    req('onlineGamingIncident', complex('OnlineGamingIncident', 'sequence', { elements: [opt('gameName', str(256)), opt('console', str(256)), opt('content', str(10_000)), opt('additionalInfo', additionalInfo)] })),
    req('cellPhoneIncident', complex('CellPhoneIncident', 'sequence', {
      elements: [opt('phoneNumber', phone), opt('latitude', { base: 'decimal', min: -90, max: 90 }), opt('longitude', { base: 'decimal', min: -180, max: 180 }), opt('additionalInfo', additionalInfo)],
    })),
    req('nonInternetIncident', complex('NonInternetIncident', 'sequence', { elements: [opt('locationName', str(256)), many('incidentAddress', address), opt('additionalInfo', additionalInfo)] })),
    req('peer2peerIncident', complex('Peer2peerIncident', 'sequence', { elements: [opt('client', str(256)), many('ipCaptureEvent', ipCaptureEvent), opt('fileNames', str(10_000)), opt('additionalInfo', additionalInfo)] })),
  ],
})

export const INTERNET_DETAIL_TYPES = ['webPageIncident', 'emailIncident', 'newsgroupIncident', 'chatImIncident', 'onlineGamingIncident', 'cellPhoneIncident', 'nonInternetIncident', 'peer2peerIncident'] as const

const reportAnnotations = complex('ReportAnnotations', 'sequence', {
  elements: ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam', 'sadisticOnlineExploitation', 'informational'].map(flag),
})

const incidentSummary = complex('IncidentSummary', 'sequence', {
  elements: [
    req('incidentType', incidentType),
    opt('platform', str(256)),
    opt('escalateToHighPriority', str(3000), 'Only enter text to escalate the report: a child is at immediate risk.'),
    opt('reportAnnotations', reportAnnotations),
    req('incidentDateTime', dateTime),
    opt('incidentDateTimeDescription', str(3000)),
  ],
})

const lawEnforcement = complex('LawEnforcement', 'sequence', {
  elements: [
    req('agencyName', str(256)),
    opt('caseNumber', str(256)),
    opt('officerContact', contactPerson),
    opt('reportedToLe', bool),
    opt('servedLegalProcessDomestic', bool),
    opt('servedLegalProcessInternational', complex('ServedLegalProcessInternational', 'simple', { text: bool, attributes: [{ name: 'fleaCountry', type: countryCode }] })),
  ],
  // Nachtalb's client puts fleaCountry here rather than on servedLegalProcessInternational.
  attributes: [{ name: 'fleaCountry', type: countryCode }],
})

const reporter = complex('Reporter', 'sequence', {
  elements: [req('reportingPerson', person), opt('contactPerson', contactPerson), opt('companyTemplate', str(10_000)), opt('termsOfService', str(10_000)), opt('legalURL', str(2083))],
})

export const REPORT_ELEMENT: ElementDecl = req(
  'report',
  complex('Report', 'sequence', {
    elements: [
      opt('batchedReport', complex('BatchedReport', 'empty', { attributes: [{ name: 'reason', type: { base: 'enum', name: 'BatchedReason', values: ['VIRAL_POTENTIAL_MEME'] }, required: true }] })),
      req('incidentSummary', incidentSummary),
      many('internetDetails', internetDetails),
      opt('lawEnforcement', lawEnforcement),
      req('reporter', reporter),
      opt('personOrUserReported', personOrUserReported),
      many('intendedRecipient', intendedRecipient),
      many('victim', victim),
      opt('additionalInfo', additionalInfo),
    ],
  }),
)

const metadataType: SimpleType = { base: 'enum', name: 'MetadataType', values: ['EXIF', 'HASH'] }
const nameValuePair = complex('NameValuePair', 'sequence', {
  elements: [req('name', str(64)), req('value', str(4000))],
  // Nachtalb's client puts the metadata type on each pair rather than on <details>.
  attributes: [{ name: 'type', type: metadataType }],
})

export const FILE_DETAILS_ELEMENT: ElementDecl = req(
  'fileDetails',
  complex('FileDetails', 'sequence', {
    elements: [
      req('reportId', { base: 'long', min: 1 }),
      req('fileId', str(64)),
      opt('fileName', str(2056)),
      opt('originalFileName', str(2056)),
      opt('uploadedToEspTimestamp', dateTime),
      opt('locationOfFile', str(2083)),
      opt('fileViewedByEsp', bool, 'Has your company viewed the file?'),
      opt('exifViewedByEsp', bool),
      opt('publiclyAvailable', bool, 'Was the reported file publicly accessible?'),
      opt('fileRelevance', { base: 'enum', name: 'FileRelevance', values: ['Reported', 'Supplemental Reported'] }),
      flag('potentialMeme'),
      opt(
        'fileAnnotations',
        complex('FileAnnotations', 'sequence', {
          elements: ['animeDrawingVirtualHentai', 'potentialMeme', 'viral', 'possibleSelfProduction', 'physicalHarm', 'violenceGore', 'bestiality', 'liveStreaming', 'infant', 'generativeAi'].map(flag),
        }),
      ),
      opt('industryClassification', { base: 'enum', name: 'IndustryClassification', values: ['A1', 'A2', 'B1', 'B2'] }),
      many('originalFileHash', complex('OriginalFileHash', 'simple', { text: str(), attributes: [{ name: 'hashType', type: str(64), required: true }] })),
      opt('ipCaptureEvent', ipCaptureEvent),
      many('deviceId', deviceId),
      many('details', complex('FileMetadata', 'sequence', {
        elements: [many('nameValuePair', nameValuePair)],
        attributes: [{ name: 'type', type: metadataType }],
      })),
      many('additionalInfo', additionalInfo),
    ],
  }),
)

export const CYBERTIPLINE_XSD = writeXsd(
  [REPORT_ELEMENT, FILE_DETAILS_ELEMENT],
  'CyberTipline reporting API (ISPWS) as accepted by this clearinghouse: <report> for /submit, <fileDetails> for /fileinfo. Flags accept <x/> and <x>true</x>.',
)
