// A comparable description of a database's schema: enums, columns, indexes and constraints.
// Two databases built different ways (migrations vs the schema) must describe the same.
import pg from 'pg'

/** Objects written by hand in a migration, which Prisma cannot express, are named manual_*. */
const HAND_WRITTEN = /^manual_/

export async function schemaSnapshot(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const rows = async (sql: string) => (await client.query(sql)).rows.map((r) => Object.values(r).join(' | '))
  try {
    return {
      enums: await rows(`
        SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY t.typname`),
      columns: await rows(`
        SELECT table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, ''),
               coalesce(character_maximum_length::text, '')
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`),
      indexes: (await rows(`
        SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
        ORDER BY tablename, indexname`)).filter((r) => !HAND_WRITTEN.test(r.split(' | ')[1] ?? '')),
      constraints: (await rows(`
        SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
        WHERE n.nspname = 'public' AND rel.relname <> '_prisma_migrations'
        ORDER BY rel.relname, con.conname`)).filter((r) => !HAND_WRITTEN.test(r.split(' | ')[1] ?? '')),
    }
  } finally {
    await client.end()
  }
}
