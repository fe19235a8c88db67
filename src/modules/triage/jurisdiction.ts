// Where a report belongs: the country and US state most of its location evidence points to.
// Pure. (The agency proposed for it, that state's ICAC task force, is looked up by triage.)
import type { TriageInput } from './scoring.js'

export type Jurisdiction = { country: string | null; state: string | null; evidence: string }

const US_STATE = /^[A-Z]{2}$/

export function deriveJurisdiction(locations: TriageInput['locations']): Jurisdiction {
  const votes = new Map<string, { country: string; state: string | null; sources: string[] }>()
  for (const location of locations) {
    const country = location.countryCode?.trim().toUpperCase()
    if (!country || !/^[A-Z]{2}$/.test(country)) continue
    const region = location.region?.trim().toUpperCase() ?? null
    const state = country === 'US' && region && US_STATE.test(region) ? region : null
    const key = `${country}/${state ?? ''}`
    const entry = votes.get(key) ?? { country, state, sources: [] }
    entry.sources.push(location.source)
    votes.set(key, entry)
  }
  // Most evidence wins; a state-level answer beats a country-only one with equal votes.
  const best = [...votes.values()].sort((a, b) => b.sources.length - a.sources.length || Number(Boolean(b.state)) - Number(Boolean(a.state)))[0]
  if (!best) return { country: null, state: null, evidence: 'no location in the report' }
  const where = best.state ? `${best.state}, ${best.country}` : best.country
  return { country: best.country, state: best.state, evidence: `${where} from ${best.sources.join(', ')}` }
}
