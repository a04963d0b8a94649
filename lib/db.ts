// The Prisma client: the only module that talks to Prisma. One instance per process, kept on globalThis
// because Next loads a module several times in one process (instrumentation, RSC/actions, route handlers).
import 'server-only'
import { PrismaLibSQL } from '@prisma/adapter-libsql'
import { PrismaClient } from '@/lib/generated/prisma/client'
import { resolveDatabaseUrl } from '@/lib/config/paths'

export type { AuditLog, IdempotencyKey, MetricSample } from '@/lib/generated/prisma/client'
export { OperationResult } from '@/lib/generated/prisma/enums'

const g = globalThis as unknown as { __mqdeckPrisma?: PrismaClient }

/** A new client for `databaseUrl` (a `file:` URL); tests use this to own their database. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url: databaseUrl }) })
}

/** The process-wide client for `DATABASE_URL` (or the default under `<repo>/data`). */
export function db(): PrismaClient {
  return (g.__mqdeckPrisma ??= createPrismaClient(resolveDatabaseUrl()))
}

export type Db = PrismaClient
