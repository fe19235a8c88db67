import { ValidationError, type ResourceWithOptions } from 'adminjs'
import { z } from 'zod'
import { HashCategory, HashType } from '@prisma/client'
import { normaliseHash } from '../../modules/hashes/hash-formats.js'
import type { ActionContext, ActionRequest } from 'adminjs'
import { AppError } from '../../lib/errors.js'
import type { CollectionReviewService } from '../../modules/hashes/collection-review.service.js'
import { mayRun } from '../access.js'
import { currentStaff, staffActor, defineResource, validatePayload, type AdminDeps } from './define.js'
import { formBoolean, optionalId, optionalText, requiredId, requiredText } from './fields.js'
import { refusalMessage } from '../actions/refusal.js'

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
    hashSetId: requiredId,
    seriesId: optionalId,
  })
  .transform((hash, ctx) => {
    const normalised = normaliseHash(hash.hashType, hash.value)
    if ('error' in normalised) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: normalised.error })
      return z.NEVER
    }
    return { ...hash, value: normalised.value }
  })

/**
 * A new hash's hash set and series must exist: said on the form's fields. (The database refuses
 * them too, see the schema; this is the form's clear answer.)
 */
async function referencesExist(deps: AdminDeps, hash: z.infer<typeof knownHashSchema>): Promise<z.infer<typeof knownHashSchema>> {
  const [set, series] = await Promise.all([
    deps.db.hashSet.findUnique({ where: { id: hash.hashSetId }, select: { id: true } }),
    hash.seriesId === null ? null : deps.db.series.findUnique({ where: { id: hash.seriesId }, select: { id: true } }),
  ])
  const errors: Record<string, { message: string }> = {}
  if (!set) errors.hashSetId = { message: `There is no hash set ${hash.hashSetId}` }
  if (hash.seriesId !== null && !series) errors.seriesId = { message: `There is no series ${hash.seriesId}` }
  if (Object.keys(errors).length) throw new ValidationError(errors, { message: `Not saved: ${Object.values(errors).map((e) => e.message).join('; ')}` })
  return hash
}

/** Releases a matched collection review to its officer, with the analyst's notes. */
function releaseReviewAction(deps: { collectionReview: CollectionReviewService; kickOutbox(): Promise<void>; component: string }) {
  const allowed = ({ currentAdmin, record }: { currentAdmin?: unknown; record?: { params: Record<string, unknown> } }) =>
    mayRun(currentStaff({ currentAdmin })?.role, 'CollectionReview', 'release') && (!record || record.params.status === 'IN_REVIEW')
  return {
    actionType: 'record' as const,
    icon: 'Send',
    component: deps.component,
    custom: {
      explanation: 'Release this review to the officer: it appears in their My Reports with the matches and your notes, and they are emailed. The hash list they sent is then deleted.',
      reasonLabel: 'Notes for the officer',
      submitLabel: 'Release to the officer',
    },
    isAccessible: allowed,
    isVisible: allowed,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const { record, currentAdmin } = context
      if (!record) throw new AppError('NOT_FOUND', 'No such collection review')
      if (request.method !== 'post') return { record: record.toJSON(currentAdmin) }
      try {
        await deps.collectionReview.release(Number(record.params.report ?? record.params.reportId), request.payload ?? {}, staffActor(context))
        await deps.kickOutbox()
        const fresh = await context.resource.findOne(String(record.id()), context)
        return { record: (fresh ?? record).toJSON(currentAdmin), notice: { type: 'success', message: `Collection review ${record.id()} is released to the officer.` } }
      } catch (error) {
        const message = refusalMessage(error)
        return { record: record.toJSON(currentAdmin), notice: { type: 'error', message } }
      }
    },
  }
}

export function catalogResources(deps: AdminDeps & { collectionReview: CollectionReviewService; kickOutbox(): Promise<void> }): ResourceWithOptions[] {
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
      listProperties: ['id', 'hashType', 'value', 'category', 'seriesId', 'hashSetId', 'addedAt'],
      filterProperties: ['hashType', 'value', 'category', 'seriesId', 'hashSetId'],
      editProperties: ['hashType', 'value', 'category', 'hashSetId', 'seriesId'],
      // Plain columns in the schema (their references are kept by triggers, see the schema), shown
      // and chosen as links to the hash set and series, as relations are.
      properties: { hashSetId: { reference: 'HashSet' }, seriesId: { reference: 'Series' } },
      actions: { new: { before: validatePayload(knownHashSchema, (hash) => referencesExist(deps, hash)) } },
    }),
    defineResource(deps, 'HashSearch', {
      navigation,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['id', 'officer', 'status', 'hashCount', 'matchCount', 'invalidCount', 'createdAt'],
      filterProperties: ['officer', 'status', 'createdAt'],
    }),
    defineResource(
      deps,
      'CollectionReview',
      {
        navigation,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: ['id', 'report', 'caseNumber', 'agencyName', 'status', 'lineCount', 'processedCount', 'matchCount', 'identifiedCount', 'createdAt'],
        filterProperties: ['status', 'caseNumber', 'officer', 'createdAt'],
        showProperties: ['id', 'report', 'officer', 'caseNumber', 'agencyName', 'statute', 'status', 'lineCount', 'invalidCount', 'processedCount', 'matchCount', 'identifiedCount', 'matches', 'invalidLines', 'analystNotes', 'releasedAt', 'releasedBy', 'createdAt'],
        properties: {
          matches: { components: { show: deps.components.ReviewMatches } },
          invalidLines: { components: { show: deps.components.ReviewMatches } },
        },
        actions: { release: releaseReviewAction({ ...deps, component: deps.components.ReasonedChange }) },
      },
      // The officer's whole hash list (up to 100,000 lines) is for the matching job, not the
      // browser. The matches and bad lines (as many) are read for one review's page, not for lists.
      { secretFields: ['hashList'], showOnlyFields: ['matches', 'invalidLines'] },
    ),
  ]
}
