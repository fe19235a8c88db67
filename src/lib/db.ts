import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient, Prisma } from '@prisma/client'

export type Db = PrismaClient
export type Tx = Prisma.TransactionClient

/** The Rust-free Prisma client over node-postgres (see STACK.md). */
export function createDb(databaseUrl: string, { max = 10 }: { max?: number } = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) })
}

export async function pingDb(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`
}
