// lib/idempotency/run-once-many.ts on a real SQLite file in WAL mode (as the server runs it): the shared cases
// (PostgreSQL runs them in tests/lib/db-postgres.test.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, prepareDatabase, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'
import { runOnceManyCases } from './run-once-many-cases'

let dir: string
let client: Db

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-run-once-many-'))
  const url = migrateFreshDatabase(dir)
  client = createPrismaClient(url)
  await prepareDatabase(client, url)
})

afterAll(async () => {
  await client?.$disconnect()
  rmSync(dir, { recursive: true, force: true })
})

describe('runOnceMany on SQLite', () => {
  it('runs on a database prepared in WAL mode', async () => {
    expect(await client.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }])
  })

  runOnceManyCases(() => client)
})
