// Prisma CLI configuration: Rust-free (wasm schema engine driven through the libsql adapter), so generate,
// migrate deploy, migrate dev and migrate diff all work offline.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { defineConfig } from 'prisma/config'
import { PrismaLibSQLForMigrate } from './prisma/sqlite-migrate-adapter'
import './prisma/unref-long-timers'

// A config file turns off Prisma's own .env loading; .env stays optional.
try {
  process.loadEnvFile()
} catch {
  // no .env: fine
}

const repoRoot = path.dirname(fileURLToPath(import.meta.url))

// Same default as lib/config/paths.ts and scripts/start.mjs: an absolute file under <repo>/data.
if (!process.env.DATABASE_URL) {
  mkdirSync(path.join(repoRoot, 'data'), { recursive: true })
  process.env.DATABASE_URL = pathToFileURL(path.join(repoRoot, 'data', 'mqdeck.db')).href
}
const databaseUrl = process.env.DATABASE_URL

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join(repoRoot, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(repoRoot, 'prisma', 'migrations') },
  engine: 'js', // wasm schema engine instead of the downloaded binary
  adapter: () => Promise.resolve(new PrismaLibSQLForMigrate({ url: databaseUrl })),
})
