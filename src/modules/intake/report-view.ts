// A report as it was submitted, for its page in the console: where it happened, the reporter,
// the people and accounts, the files with their hashes and catalog match, and the raw XML.
import type { Db } from '../../lib/db.js'
import type { Normalisation } from '../../lib/xml-schema.js'

/** The report as submitted, for its page in the console: details, parties, files, raw XML. */
export async function reportIntakeView(prisma: Db, reportId: number) {
  const report = await prisma.report.findUnique({
    where: { id: reportId },
    select: {
      internetDetails: true, reporterDetails: true, rawXml: true, intakeNormalisations: true,
      parties: { orderBy: { id: 'asc' } },
      files: { orderBy: { id: 'asc' }, select: { fileId: true, fileName: true, originalFileName: true, sizeBytes: true, md5: true, sha1: true, sha256: true, pdq: true, matchStatus: true, fileAnnotations: true, fileViewedByEsp: true, publiclyAvailable: true } },
    },
  })
  if (!report) return null
  type Person = { firstName?: string; lastName?: string; email?: { value: string }[]; phone?: { value: string }[] }
  const details = (report.reporterDetails ?? {}) as { reportingPerson?: Person; lawEnforcement?: { agencyName?: string; caseNumber?: string } }
  const person = details.reportingPerson
  const reporter = person
    ? [[person.firstName, person.lastName].filter(Boolean).join(' '), ...(person.email ?? []).map((e) => e.value ?? String(e)), ...(person.phone ?? []).map((p) => p.value ?? String(p))].filter(Boolean).join(', ')
    : null
  const lawEnforcement = details.lawEnforcement ? [details.lawEnforcement.agencyName, details.lawEnforcement.caseNumber && `case ${details.lawEnforcement.caseNumber}`].filter(Boolean).join(', ') : null
  return {
    internetDetails: (Array.isArray(report.internetDetails) ? report.internetDetails : []) as unknown[],
    reporter,
    lawEnforcement,
    parties: report.parties.map((p) => {
      const location = p.estimatedLocation as { city?: string; region?: string; countryCode?: string } | null
      return {
        role: p.role, screenName: p.screenName, displayName: p.displayName, espService: p.espService, espIdentifier: p.espIdentifier,
        firstName: p.firstName, lastName: p.lastName, age: p.age, emails: p.emails, phones: p.phones, profileUrls: p.profileUrls,
        ips: ((p.ipCaptureEvents ?? []) as { ipAddress?: string }[]).map((e) => e.ipAddress).filter((ip): ip is string => Boolean(ip)),
        location: location ? [location.city, location.region, location.countryCode].filter(Boolean).join(', ') : null,
      }
    }),
    files: report.files.map((f) => ({ ...f, sizeBytes: f.sizeBytes === null ? null : String(f.sizeBytes) })),
    rawXml: report.rawXml,
    normalised: (report.intakeNormalisations ?? []) as Normalisation[],
  }
}
