// lib/db.ts against a real PostgreSQL server (one per file, started by tests/helpers/postgres.ts): the committed
// prisma/pg migrations apply with the real CLI, the pg-adapter client passes the same cases as SQLite
// (db-cases.ts), and lib's own database code runs on it through the db() singleton.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markStalePendingUnknown } from '@/lib/audit/mark-stale-pending-unknown'
import { createPrismaClient, databaseProvider, db, type Db } from '@/lib/db'
import { runPrismaCli } from '../helpers/migrate'
import { migrateFreshPostgres, startPostgres, type PostgresServer } from '../helpers/postgres'
import { databaseCases } from './db-cases'
import { runOnceManyCases } from './idempotency/run-once-many-cases'

let server: PostgresServer
let client: Db
const g = globalThis as { __mqdeckPrisma?: Db }
const previousUrl = process.env.DATABASE_URL

beforeAll(async () => {
  server = await startPostgres()
  migrateFreshPostgres(server.url)
  client = createPrismaClient(server.url)
  // lib code reaches the database through db(): point the process-wide client at this server.
  process.env.DATABASE_URL = server.url
  g.__mqdeckPrisma = undefined
})

afterAll(async () => {
  await client?.$disconnect()
  await g.__mqdeckPrisma?.$disconnect()
  g.__mqdeckPrisma = undefined
  if (previousUrl === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = previousUrl
  await server?.stop()
})

describe('lib/db on PostgreSQL', () => {
  it('picks PostgreSQL from the URL and serves it from db()', async () => {
    expect(databaseProvider(server.url)).toBe('postgresql')
    expect(databaseProvider()).toBe('postgresql')
    // current_database() is of type `name`, which adapter-pg cannot read without prisma/pg/pg-name-oid-fix.ts.
    const [row] = await db().$queryRaw<{ database: string }[]>`SELECT current_database() AS database`
    expect(row?.database).toBe('mqdeck')
  })

  databaseCases('postgresql', () => client)
})

describe('runOnceMany on PostgreSQL (its hand-written SQL)', () => {
  runOnceManyCases(() => client)
})

describe('lib database code on PostgreSQL', () => {
  it('marks stale PENDING rows UNKNOWN', async () => {
    await client.auditLog.updateMany({ data: { result: 'SUCCEEDED' } })
    await client.auditLog.create({ data: { actor: 't', action: 'a', targetType: 't', requestJson: '{}' } })
    expect(await markStalePendingUnknown()).toBe(1)
  })
})

describe('prisma/pg migrations', () => {
  it('apply into the schema named by ?schema=, where the client then reads and writes', async () => {
    const url = `${server.url}?schema=console`
    migrateFreshPostgres(url)
    const inSchema = createPrismaClient(url)
    try {
      await inSchema.clusterConnection.create({ data: { id: 'in-schema', name: 'x', namesrvAddrs: 'h:1' } })
      expect(await inSchema.clusterConnection.count()).toBe(1)
      const tables = await inSchema.$queryRaw<{ schema: string }[]>`
        SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'cluster_connection'
        ORDER BY table_schema`
      expect(tables.map((t) => t.schema)).toEqual(['console', 'public'])
    } finally {
      await inSchema.$disconnect()
    }
  })

  it('match prisma/pg/schema.prisma exactly (replayed into a shadow database)', () => {
    const out = runPrismaCli(
      [
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/pg/migrations',
        '--to-schema-datamodel',
        'prisma/pg/schema.prisma',
        '--exit-code',
      ],
      server.url,
    )
    expect(out).toContain('No difference detected')
  })
})
