// Prisma CLI configuration for PostgreSQL (`--config prisma.pg.config.ts`): prisma/pg/schema.prisma and its
// migrations, driven Rust-free through the pg adapter like the SQLite config. `npm run db:deploy` picks this file
// when DATABASE_URL is postgres:// or postgresql://.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'prisma/config'
import { PrismaPgForMigrate } from './prisma/pg/pg-migrate-adapter'
import { isPostgresUrl, pgConnectionFromUrl } from './prisma/pg/pool-config'
import './prisma/pg/pg-name-oid-fix'
import './prisma/unref-long-timers'

// A config file turns off Prisma's own .env loading; .env stays optional.
try {
  process.loadEnvFile()
} catch {
  // no .env: fine
}

const repoRoot = path.dirname(fileURLToPath(import.meta.url))

// The schema's datasource needs some postgres URL even for `prisma generate` (see prisma/pg/schema.prisma); the
// adapter below is what connects, so a placeholder is fine when DATABASE_URL points at SQLite.
const databaseUrl = process.env.DATABASE_URL ?? ''
process.env.MQDECK_PG_SCHEMA_URL = isPostgresUrl(databaseUrl) ? databaseUrl : 'postgresql://localhost/mqdeck'

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join(repoRoot, 'prisma', 'pg', 'schema.prisma'),
  migrations: { path: path.join(repoRoot, 'prisma', 'pg', 'migrations') },
  engine: 'js', // wasm schema engine instead of the downloaded binary
  // Only commands that touch a database call this; `prisma generate` works without a PostgreSQL URL.
  adapter: () => {
    if (!isPostgresUrl(databaseUrl)) {
      return Promise.reject(
        new Error('prisma.pg.config.ts needs DATABASE_URL=postgresql://user:password@host:port/database'),
      )
    }
    const { poolConfig, schema } = pgConnectionFromUrl(databaseUrl)
    // Idle connections close quickly so the CLI exits as soon as its work is done.
    return Promise.resolve(new PrismaPgForMigrate({ ...poolConfig, idleTimeoutMillis: 500 }, { schema }))
  },
})
