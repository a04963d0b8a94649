// lib/mutations/run-mutation.ts on a real, migrated SQLite file (db() points at it: the registry's read-only
// check reads clusters through it). The same cases run on PostgreSQL in run-mutation-postgres.test.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'
import { runMutationCases } from './run-mutation-cases'

let dir: string
let client: Db
let broken: Db
const g = globalThis as { __mqdeckPrisma?: Db }
const previousUrl = process.env.DATABASE_URL

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-mutation-'))
  process.env.DATABASE_URL = migrateFreshDatabase(dir)
  g.__mqdeckPrisma = undefined
  client = createPrismaClient(process.env.DATABASE_URL)
  // A database without tables: every audit write fails.
  broken = createPrismaClient(pathToFileURL(path.join(dir, 'empty.db')).href)
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
  rmSync(dir, { recursive: true, force: true })
})

describe('runMutation on SQLite', () => {
  runMutationCases(
    () => client,
    () => broken,
  )
})
