// zod pieces for console forms. A form sends '' for an empty field: treat it as "not given".
import { z } from 'zod'

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value)

export const optionalText = (max = 2000) =>
  z.preprocess(emptyToUndefined, z.string().trim().max(max).optional()).transform((v) => v ?? null)

export const requiredText = (max = 200) => z.string().trim().min(1, 'Required').max(max)

export const optionalId = z.preprocess(emptyToUndefined, z.coerce.number().int().positive().optional()).transform((v) => v ?? null)

export const requiredId = z.coerce.number({ invalid_type_error: 'Required' }).int().positive('Required')

export const formBoolean = z.preprocess((value) => value === true || value === 'true', z.boolean())

/** A list field: AdminJS sends arrays as { 0: 'a', 1: 'b' } after unflattening, or an array. */
export const stringList = (item: z.ZodString) =>
  z.preprocess((value) => {
    if (value === undefined || value === null || value === '') return []
    const list = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : String(value).split(',')
    return list.map((v) => String(v).trim()).filter(Boolean)
  }, z.array(item))
