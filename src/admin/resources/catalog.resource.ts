import type { ResourceWithOptions } from 'adminjs'
import { z } from 'zod'
import { HashCategory, HashType } from '@prisma/client'
import { normaliseHash } from '../../modules/hashes/hash-formats.js'
import { defineResource, validatePayload, type AdminDeps } from './define.js'
import { formBoolean, optionalId, optionalText, requiredId, requiredText } from './fields.js'

const navigation = { name: 'Hash catalog', icon: 'Hash' }

const hashSetSchema = z.object({
  name: requiredText(200),
  source: requiredText(200),
  description: optionalText(2000),
})

const seriesSchema = z.object({
  name: requiredText(200),
  identified: formBoolean,
  notes: optionalText(4000),
})

const knownHashSchema = z
  .object({
    hashType: z.nativeEnum(HashType),
    value: z.string().trim().min(1, 'Required'),
    category: z.nativeEnum(HashCategory),
    hashSet: requiredId,
    series: optionalId,
  })
  .transform((hash, ctx) => {
    const normalised = normaliseHash(hash.hashType, hash.value)
    if ('error' in normalised) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: normalised.error })
      return z.NEVER
    }
    return { ...hash, value: normalised.value }
  })

export function catalogResources(deps: AdminDeps): ResourceWithOptions[] {
  return [
    defineResource(deps, 'HashSet', {
      navigation,
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['id', 'name', 'source', 'importedBy', 'createdAt'],
      editProperties: ['name', 'source', 'description'],
      actions: { new: { before: validatePayload(hashSetSchema) }, edit: { before: validatePayload(hashSetSchema) } },
    }),
    defineResource(deps, 'Series', {
      navigation,
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['id', 'name', 'identified', 'identifiedAt', 'createdAt'],
      filterProperties: ['name', 'identified'],
      editProperties: ['name', 'identified', 'notes'],
      actions: {
        new: { before: validatePayload(seriesSchema, (s) => ({ ...s, identifiedAt: s.identified ? new Date() : null })) },
        edit: {
          // identifiedAt records when a series first became identified; unticking clears it.
          before: validatePayload(seriesSchema, async (s, request) => {
            const current = await deps.db.series.findUnique({ where: { id: Number(request.params.recordId) } })
            return { ...s, identifiedAt: s.identified ? (current?.identifiedAt ?? new Date()) : null }
          }),
        },
      },
    }),
    defineResource(deps, 'KnownHash', {
      navigation,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'hashType', 'value', 'category', 'series', 'hashSet', 'addedAt'],
      filterProperties: ['hashType', 'value', 'category', 'series', 'hashSet'],
      editProperties: ['hashType', 'value', 'category', 'hashSet', 'series'],
      actions: { new: { before: validatePayload(knownHashSchema) } },
    }),
    defineResource(deps, 'HashSearch', {
      navigation,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['id', 'officer', 'status', 'hashCount', 'matchCount', 'invalidCount', 'createdAt'],
      filterProperties: ['officer', 'status', 'createdAt'],
    }),
  ]
}
