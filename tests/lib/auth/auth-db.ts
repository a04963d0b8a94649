// Test helper for tests/lib/auth: a migrated SQLite file per test file, and its client.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'

export interface AuthTestDb {
  readonly client: Db
  close(): Promise<void>
}

export function openAuthTestDb(): AuthTestDb {
  const dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-auth-'))
  const client = createPrismaClient(migrateFreshDatabase(dir))
  return {
    client,
    async close() {
      await client.$disconnect()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
