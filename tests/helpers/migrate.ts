// Test helper: applies prisma/migrations to a fresh SQLite file with the real CLI (`prisma migrate deploy`).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..')
const PRISMA_CLI = path.join(REPO_ROOT, 'node_modules', 'prisma', 'build', 'index.js')

/** Migrates `<dir>/<name>` and returns its absolute `file:` URL. Throws with the CLI output on failure. */
export function migrateFreshDatabase(dir: string, name = 'test.db'): string {
  const databaseUrl = pathToFileURL(path.join(dir, name)).href
  const result = spawnSync(process.execPath, [PRISMA_CLI, 'migrate', 'deploy'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' },
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
  return databaseUrl
}
