// The full Prisma DMMF, written by prisma/dmmf-generator.cjs at `prisma generate`.
// AdminJS reads models, ids, enums and relations from it (see STACK.md).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { getModelByName } from '@adminjs/prisma'
import { PROJECT_ROOT } from '../lib/project-root.js'

const DMMF_PATH = path.join(PROJECT_ROOT, 'prisma/generated/dmmf.json')

type Datamodel = { models: { name: string }[]; enums: { name: string }[] }

const datamodel = JSON.parse(readFileSync(DMMF_PATH, 'utf8')) as Datamodel

/** What @adminjs/prisma expects as `clientModule`: only the DMMF, not the real Prisma namespace. */
export const clientModule = { Prisma: { dmmf: { datamodel } } } as unknown as Parameters<typeof getModelByName>[1]

export function modelNamed(name: string) {
  return getModelByName(name, clientModule)
}
