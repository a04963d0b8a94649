// lib/db.ts against a real SQLite file: the committed migrations apply offline with `prisma migrate deploy`,
// and the Rust-free client (libsql adapter) passes the shared database cases (db-cases.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, databaseProvider, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../helpers/migrate'
import { databaseCases } from './db-cases'

describe('lib/db on SQLite', () => {
  let dir: string
  let client: Db

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-db-'))
    client = createPrismaClient(migrateFreshDatabase(dir))
  })

  afterAll(async () => {
    await client?.$disconnect()
    rmSync(dir, { recursive: true, force: true })
  })

  databaseCases('sqlite', () => client)
})

describe('databaseProvider', () => {
  it.each([
    ['file:///srv/mqdeck/data/mqdeck.db', 'sqlite'],
    ['file:./dev.db', 'sqlite'],
    ['postgresql://mqdeck:secret@db.internal:5432/mqdeck', 'postgresql'],
    ['postgres://mqdeck@127.0.0.1/mqdeck?schema=console', 'postgresql'],
    ['  POSTGRESQL://mqdeck@db/mqdeck', 'postgresql'],
  ] as const)('%s → %s', (url, provider) => {
    expect(databaseProvider(url)).toBe(provider)
  })
})
