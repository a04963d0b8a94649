// The Prisma client: the only module that talks to Prisma. One instance per process, kept on globalThis
// because Next loads a module several times in one process (instrumentation, RSC/actions, route handlers).
// The provider follows DATABASE_URL's scheme: file: → SQLite (libsql), postgres(ql):// → PostgreSQL (pg).
import 'server-only'
import { PrismaLibSQL } from '@prisma/adapter-libsql'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@/lib/generated/prisma/client'
import { PrismaClient as PgPrismaClient } from '@/lib/generated/prisma-pg/client'
import { resolveDatabaseUrl } from '@/lib/config/paths'
import { isPostgresUrl, pgConnectionFromUrl } from '@/prisma/pg/pool-config'
// adapter-pg cannot read catalog types such as `name` (e.g. `SELECT current_database()`); see the module.
import '@/prisma/pg/pg-name-oid-fix'

export type { AuditLog, ClusterConnection, IdempotencyKey, MetricSample } from '@/lib/generated/prisma/client'
export { OperationResult } from '@/lib/generated/prisma/enums'
/** Tagged SQL (`sql`, `join`) for the few statements lib writes by hand; placeholders follow the client's provider. */
export { Prisma as Sql } from '@/lib/generated/prisma/client'

export type DatabaseProvider = 'sqlite' | 'postgresql'

/**
 * The client type the rest of lib uses: the SQLite client's. Both generated clients come from the same models
 * (tests/lib/db-schemas.test.ts keeps the schemas identical), so their model APIs match; the operations lib uses
 * run against both providers in tests/lib/db-cases.ts.
 */
export type Db = PrismaClient

const g = globalThis as unknown as {
  __mqdeckPrisma?: Db
  __mqdeckDbProviders?: WeakMap<Db, DatabaseProvider>
}
/**
 * Which provider each client talks to, for the hand-written statements whose SQL differs (lib/idempotency). On
 * globalThis like the client: instrumentation.ts (another Next bundle) may be the one that creates it.
 */
const providers = (g.__mqdeckDbProviders ??= new WeakMap<Db, DatabaseProvider>())

/** Which database `databaseUrl` (default: this process's) points at; anything but postgres(ql):// is SQLite. */
export function databaseProvider(databaseUrl: string = resolveDatabaseUrl()): DatabaseProvider {
  return isPostgresUrl(databaseUrl) ? 'postgresql' : 'sqlite'
}

/** A new client for `databaseUrl` (`file:` or `postgres(ql)://`); tests use this to own their database. */
export function createPrismaClient(databaseUrl: string): Db {
  if (databaseProvider(databaseUrl) === 'sqlite') {
    const client = new PrismaClient({ adapter: new PrismaLibSQL({ url: databaseUrl }) })
    providers.set(client, 'sqlite')
    return client
  }
  const { poolConfig, schema } = pgConnectionFromUrl(databaseUrl)
  const client = new PgPrismaClient({ adapter: new PrismaPg(poolConfig, schema ? { schema } : undefined) })
  // Same models, same delegates and result types; only provider-specific extras (e.g. `mode: 'insensitive'`,
  // `skipDuplicates`) are missing from the SQLite type, which lib code must not rely on anyway.
  providers.set(client as unknown as Db, 'postgresql')
  return client as unknown as Db
}

/** The provider `client` (made by createPrismaClient) talks to. */
export function providerOf(client: Db): DatabaseProvider {
  const provider = providers.get(client)
  if (!provider) throw new Error('providerOf: a client not made by createPrismaClient')
  return provider
}

/** The process-wide client for `DATABASE_URL` (or the default SQLite file under `<repo>/data`). */
export function db(): Db {
  return (g.__mqdeckPrisma ??= createPrismaClient(resolveDatabaseUrl()))
}

/**
 * Readies a SQLite database for the server (PostgreSQL needs nothing): write-ahead logging, so a commit appends
 * to the WAL with one fsync instead of writing and deleting a rollback journal (several fsyncs), and readers (the
 * console's pages) never wait for a writer (a resend job's records). The mode is kept in the file: idempotent.
 */
export async function prepareDatabase(
  client: Db = db(),
  databaseUrl: string = resolveDatabaseUrl(),
): Promise<void> {
  if (databaseProvider(databaseUrl) !== 'sqlite') return
  await client.$queryRawUnsafe('PRAGMA journal_mode = WAL')
}
