// The full Prisma DMMF, written by prisma/dmmf-generator.cjs at `prisma generate`.
// AdminJS reads models, ids, enums and relations from it (see STACK.md).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { getModelByName } from '@adminjs/prisma'

const DMMF_PATH = fileURLToPath(new URL('../../prisma/generated/dmmf.json', import.meta.url))

type Datamodel = { models: { name: string }[]; enums: { name: string }[] }

const datamodel = JSON.parse(readFileSync(DMMF_PATH, 'utf8')) as Datamodel

/** What @adminjs/prisma expects as `clientModule`: only the DMMF, not the real Prisma namespace. */
export const clientModule = { Prisma: { dmmf: { datamodel } } } as unknown as Parameters<typeof getModelByName>[1]

export function modelNamed(name: string) {
  return getModelByName(name, clientModule)
}
