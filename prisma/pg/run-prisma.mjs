// Runs the Prisma CLI with the config of DATABASE_URL's provider: prisma.pg.config.ts for postgres(ql)://,
// prisma.config.ts (SQLite) otherwise. `generate` alone writes both clients, because lib/db.ts imports both and
// picks one at runtime. Plain Node (no tsx) so scripts/start.mjs and npm scripts can call it before a build.
//   node prisma/pg/run-prisma.mjs generate | migrate deploy | migrate status | ...
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const prismaCli = path.join(repoRoot, 'node_modules', 'prisma', 'build', 'index.js')
const SQLITE_CONFIG = 'prisma.config.ts'
const PG_CONFIG = 'prisma.pg.config.ts'

// The configs read .env themselves; the provider has to be known before picking one.
try {
  process.loadEnvFile(path.join(repoRoot, '.env'))
} catch {
  // no .env: fine
}

const args = process.argv.slice(2)
const databaseUrl = process.env.DATABASE_URL?.trim() ?? ''
const isPostgres = /^postgres(ql)?:\/\//i.test(databaseUrl)
const baseEnv = { ...process.env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? '1' }

function prisma(cliArgs, env = baseEnv) {
  const result = spawnSync(process.execPath, [prismaCli, ...cliArgs], {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
  })
  if (result.error) throw result.error
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (args.length === 1 && args[0] === 'generate') {
  // A schema's datasource must hold a URL of its own provider even to generate (else Prisma 6.19 tries to
  // download a query engine); generate opens no database, so a placeholder file: URL does for SQLite.
  const sqliteEnv = isPostgres ? { ...baseEnv, DATABASE_URL: 'file:./generate-only.db' } : baseEnv
  prisma(['generate', '--config', SQLITE_CONFIG], sqliteEnv)
  prisma(['generate', '--config', PG_CONFIG])
} else if (args.includes('--config')) {
  prisma(args)
} else {
  prisma([...args, '--config', isPostgres ? PG_CONFIG : SQLITE_CONFIG])
}
