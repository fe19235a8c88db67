// Synthetic CyberTipline documents, as ESP clients write them: example.com addresses, RFC 5737
// IPs, 555-01xx phones. Each option switches on one part of the protocol.
import { INCIDENT_TYPE_VALUES } from '../../src/modules/intake/intake.schemas.js'

export type ReportXmlOptions = {
  incidentType?: string
  incidentDateTime?: string
  escalate?: string
  /** Annotations written as `<x/>` (Nachtalb, cybertipline-tools) or `<x>true</x>` (Boostport). */
  annotations?: string[]
  flagStyle?: 'empty' | 'true'
  batched?: boolean
  internetDetails?: string[]
  screenName?: string
  email?: string
  ip?: string
  victim?: boolean
  reporterState?: string
  lawEnforcement?: boolean
  estimatedRegion?: string
}

export const INTERNET_DETAILS: Record<string, string> = {
  webPageIncident: '<webPageIncident thirdPartyHostedContent="false"><url>https://www.example.com/post/1</url><url>https://cdn.example.com/p/1</url><additionalInfo>Public post</additionalInfo></webPageIncident>',
  emailIncident: '<emailIncident><emailAddress type="Work" verified="true">sender@example.com</emailAddress><content>Message body withheld</content></emailIncident>',
  newsgroupIncident: '<newsgroupIncident><name>alt.example.test</name><emailAddress>poster@example.com</emailAddress><content>Subject withheld</content></newsgroupIncident>',
  chatImIncident: '<chatImIncident><chatClient>ExampleChat</chatClient><chatRoomName>room-42</chatRoomName><content>Chat excerpt withheld</content></chatImIncident>',
  onlineGamingIncident: '<onlineGamingIncident><gameName>Example Quest</gameName><console>PC</console><content>In-game chat</content></onlineGamingIncident>',
  cellPhoneIncident: '<cellPhoneIncident><phoneNumber type="Mobile" countryCallingCode="1">202-555-0147</phoneNumber><latitude>38.8977</latitude><longitude>-77.0365</longitude></cellPhoneIncident>',
  nonInternetIncident: '<nonInternetIncident><locationName>Example Park</locationName><incidentAddress type="Home"><address>1 Example Way</address><city>Springfield</city><zipCode>62701</zipCode><state>IL</state><country>US</country></incidentAddress></nonInternetIncident>',
  peer2peerIncident: '<peer2peerIncident><client>ExampleTorrent</client><ipCaptureEvent><ipAddress>198.51.100.23</ipAddress><eventName>Upload</eventName><dateTime>2026-11-30T10:00:00Z</dateTime><port>6881</port></ipCaptureEvent><fileNames>a.bin</fileNames></peer2peerIncident>',
}

const flag = (name: string, style: 'empty' | 'true') => (style === 'empty' ? `<${name}/>` : `<${name}>true</${name}>`)

export function reportXml(options: ReportXmlOptions = {}): string {
  const style = options.flagStyle ?? 'empty'
  const annotations = options.annotations?.length ? `<reportAnnotations>${options.annotations.map((a) => flag(a, style)).join('')}</reportAnnotations>` : ''
  const screenName = options.screenName ?? 'suspect_account'
  return `<?xml version="1.0" encoding="UTF-8"?>
<report xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://report.cybertip.org/ispws/xsd">
  ${options.batched ? '<batchedReport reason="VIRAL_POTENTIAL_MEME"/>' : ''}
  <incidentSummary>
    <incidentType>${options.incidentType ?? INCIDENT_TYPE_VALUES[0]}</incidentType>
    <platform>Example Social</platform>
    ${options.escalate ? `<escalateToHighPriority>${options.escalate}</escalateToHighPriority>` : ''}
    ${annotations}
    <incidentDateTime>${options.incidentDateTime ?? '2026-11-30T09:30:00Z'}</incidentDateTime>
  </incidentSummary>
  ${(options.internetDetails ?? ['webPageIncident']).map((type) => `<internetDetails>${INTERNET_DETAILS[type]}</internetDetails>`).join('\n  ')}
  ${options.lawEnforcement ? '<lawEnforcement fleaCountry="US"><agencyName>Example County Sheriff</agencyName><caseNumber>EX-2026-001</caseNumber><reportedToLe>true</reportedToLe></lawEnforcement>' : ''}
  <reporter>
    <reportingPerson>
      <firstName>Trust</firstName><lastName>Safety</lastName>
      <email type="Work">reports@esp.example.com</email>
      ${options.reporterState ? `<address type="Business"><city>Exampleton</city><state>${options.reporterState}</state><country>US</country></address>` : ''}
    </reportingPerson>
  </reporter>
  <personOrUserReported>
    <personOrUserReportedPerson><firstName>Suspect</firstName><phone type="Mobile">+1 202-555-0123</phone><email verified="true">${options.email ?? 'suspect@example.com'}</email></personOrUserReportedPerson>
    <espIdentifier>uid-${screenName}</espIdentifier>
    <espService>Example Social</espService>
    <screenName>${screenName}</screenName>
    <displayName>Suspect Display</displayName>
    <profileUrl>https://www.example.com/u/${screenName}</profileUrl>
    <ipCaptureEvent><ipAddress>${options.ip ?? '192.0.2.10'}</ipAddress><eventName>Login</eventName><dateTime>2026-11-29T08:00:00Z</dateTime><possibleProxy>false</possibleProxy></ipCaptureEvent>
    ${options.estimatedRegion ? `<estimatedLocation verified="false"><city>Exampleton</city><region>${options.estimatedRegion}</region><countryCode>US</countryCode></estimatedLocation>` : ''}
    <associatedAccount type="Linked"><platform thirdPartyUser="true">Other Example</platform><screenName>${screenName}_alt</screenName></associatedAccount>
  </personOrUserReported>
  ${options.victim ? '<victim><victimPerson><firstName>Minor</firstName><age>14</age></victimPerson><screenName>minor_account</screenName><schoolName>Example Middle School</schoolName></victim>' : ''}
  <additionalInfo>Synthetic test report</additionalInfo>
</report>`
}

/** The smallest report the protocol accepts (Boostport's TestClientMinimalReport). */
export function minimalReportXml(): string {
  return `<report><incidentSummary><incidentType>${INCIDENT_TYPE_VALUES[0]}</incidentType><incidentDateTime>2026-11-30T09:30:00Z</incidentDateTime></incidentSummary><reporter><reportingPerson><firstName>Trust</firstName><lastName>Safety</lastName></reportingPerson></reporter></report>`
}

export function fileDetailsXml(reportId: number, fileId: string, options: { hashes?: { type: string; value: string }[]; fileName?: string; annotations?: string[]; relevance?: string; classification?: string } = {}): string {
  const hashes = (options.hashes ?? []).map((h) => `<originalFileHash hashType="${h.type}">${h.value}</originalFileHash>`).join('')
  const annotations = options.annotations?.length ? `<fileAnnotations>${options.annotations.map((a) => `<${a}/>`).join('')}</fileAnnotations>` : ''
  return `<?xml version="1.0" encoding="UTF-8"?>
<fileDetails>
  <reportId>${reportId}</reportId>
  <fileId>${fileId}</fileId>
  <fileName>${options.fileName ?? 'upload.jpg'}</fileName>
  <originalFileName>IMG_0001.jpg</originalFileName>
  <uploadedToEspTimestamp>2026-11-29T08:01:00Z</uploadedToEspTimestamp>
  <locationOfFile>https://cdn.example.com/f/1</locationOfFile>
  <fileViewedByEsp>true</fileViewedByEsp>
  <publiclyAvailable>false</publiclyAvailable>
  ${options.relevance ? `<fileRelevance>${options.relevance}</fileRelevance>` : ''}
  ${annotations}
  ${options.classification ? `<industryClassification>${options.classification}</industryClassification>` : ''}
  ${hashes}
  <ipCaptureEvent><ipAddress>203.0.113.5</ipAddress><eventName>Upload</eventName></ipCaptureEvent>
  <details type="EXIF"><nameValuePair><name>Make</name><value>ExampleCam</value></nameValuePair></details>
</fileDetails>`
}
