// Test helper: applies the committed migrations to a fresh database with the real CLI (`prisma migrate deploy`):
// prisma/migrations to a SQLite file, or prisma/pg/migrations (prisma.pg.config.ts) to a PostgreSQL database.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..')
const PRISMA_CLI = path.join(REPO_ROOT, 'node_modules', 'prisma', 'build', 'index.js')

/** The Prisma CLI config for `databaseUrl`: prisma.pg.config.ts for postgres(ql)://, else the SQLite default. */
export function prismaConfigFor(databaseUrl: string): string {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'prisma.pg.config.ts' : 'prisma.config.ts'
}

/** Runs the Prisma CLI against `databaseUrl` with its provider's config; throws with the CLI output on failure. */
export function runPrismaCli(args: readonly string[], databaseUrl: string): string {
  const result = spawnSync(
    process.execPath,
    [PRISMA_CLI, ...args, '--config', prismaConfigFor(databaseUrl)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' },
      encoding: 'utf8',
    },
  )
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

/** Migrates `<dir>/<name>` and returns its absolute `file:` URL. Throws with the CLI output on failure. */
export function migrateFreshDatabase(dir: string, name = 'test.db'): string {
  const databaseUrl = pathToFileURL(path.join(dir, name)).href
  runPrismaCli(['migrate', 'deploy'], databaseUrl)
  return databaseUrl
}
