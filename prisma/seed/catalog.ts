// The demo known-hash catalog: hashes of harmless strings only, grouped into sets and series.
import type { HashCategory, Prisma } from '@prisma/client'
import type { Db } from '../../src/lib/db.js'
import { hashesOf, pdqOf, type Random } from './random.js'

export const DEMO_HASH_SETS = [
  { name: 'CVIP identified series (demo)', source: 'CVIP', description: 'Files of identified series, synthetic.' },
  { name: 'Industry hash sharing (demo)', source: 'Industry hash sharing', description: 'Synthetic list in the industry format.' },
  { name: 'Project VIC import (demo)', source: 'Project VIC', description: 'Synthetic VICS import.' },
]

export const KNOWN_FILE_COUNT = 1500

/** The harmless string whose hashes stand for known file `i` of the catalog. */
export const knownFileText = (i: number) => `demo known file ${i}`

export async function seedCatalog(db: Db, random: Random) {
  await db.hashSet.createMany({ data: DEMO_HASH_SETS, skipDuplicates: true })
  const sets = await db.hashSet.findMany({ where: { name: { in: DEMO_HASH_SETS.map((s) => s.name) } }, orderBy: { id: 'asc' } })

  const seriesNames = Array.from({ length: 12 }, (_, i) => `Demo series ${String.fromCharCode(65 + i)}`)
  await db.series.createMany({
    data: seriesNames.map((name, i) => ({ name, identified: i < 8, identifiedAt: i < 8 ? new Date(Date.UTC(2024, i, 1)) : null })),
    skipDuplicates: true,
  })
  const series = await db.series.findMany({ where: { name: { in: seriesNames } }, orderBy: { id: 'asc' } })

  // Each known file contributes its MD5, SHA-1 and SHA-256, and one in five a PDQ: ~4,800 hashes.
  const rows: Prisma.KnownHashCreateManyInput[] = []
  for (let i = 0; i < KNOWN_FILE_COUNT; i++) {
    const inSeries = i % 3 === 0
    const set = inSeries ? sets[0]! : sets[1 + (i % 2)]!
    const category: HashCategory = random.weighted([
      ['CSAM', 80],
      ['CHILD_EXPLOITIVE', 10],
      ['NON_PERTINENT', 5],
      ['CGI_ANIMATION', 5],
    ])
    const base = { category: inSeries ? 'CSAM' as const : category, hashSetId: set.id, seriesId: inSeries ? series[i % series.length]!.id : null }
    const { md5, sha1, sha256 } = hashesOf(knownFileText(i))
    rows.push({ ...base, hashType: 'MD5', value: md5 }, { ...base, hashType: 'SHA1', value: sha1 }, { ...base, hashType: 'SHA256', value: sha256 })
    if (i % 5 === 0) rows.push({ ...base, hashType: 'PDQ', value: pdqOf(knownFileText(i)) })
  }
  await db.knownHash.createMany({ data: rows, skipDuplicates: true })

  const knownMd5 = await db.knownHash.findMany({ where: { hashType: 'MD5' }, select: { id: true, value: true, seriesId: true } })
  const identified = new Set((await db.series.findMany({ where: { identified: true }, select: { id: true } })).map((s) => s.id))
  return new Map(knownMd5.map((k) => [k.value, { ...k, series: k.seriesId === null ? null : { identified: identified.has(k.seriesId) } }]))
}
