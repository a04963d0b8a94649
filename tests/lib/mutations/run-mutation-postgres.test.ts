// lib/mutations/run-mutation.ts on a real PostgreSQL server (tests/helpers/postgres.ts): the same cases as on
// SQLite, including the concurrent double submit under PostgreSQL's own locking.
import { afterAll, beforeAll, describe } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshPostgres, startPostgres, type PostgresServer } from '../../helpers/postgres'
import { runMutationCases } from './run-mutation-cases'

let server: PostgresServer
let client: Db
let broken: Db
const g = globalThis as { __mqdeckPrisma?: Db }
const previousUrl = process.env.DATABASE_URL

beforeAll(async () => {
  server = await startPostgres()
  migrateFreshPostgres(server.url)
  process.env.DATABASE_URL = server.url
  g.__mqdeckPrisma = undefined
  client = createPrismaClient(server.url)
  // A schema nobody migrated: every audit write fails.
  broken = createPrismaClient(`${server.url}?schema=not_migrated`)
  await client.clusterConnection.createMany({
    data: [
      { id: 'rw', name: 'read-write', namesrvAddrs: '127.0.0.1:1' },
      { id: 'ro', name: 'read-only', namesrvAddrs: '127.0.0.1:1', readOnly: true },
    ],
  })
})

afterAll(async () => {
  await client?.$disconnect()
  await broken?.$disconnect()
  await g.__mqdeckPrisma?.$disconnect()
  g.__mqdeckPrisma = undefined
  if (previousUrl === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = previousUrl
  await server?.stop()
})

describe('runMutation on PostgreSQL', () => {
  runMutationCases(
    () => client,
    () => broken,
  )
})
