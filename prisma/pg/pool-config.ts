// PostgreSQL connection settings for the pg driver, shared by the app (lib/db.ts) and the CLI (prisma.pg.config.ts).
// Discrete fields, never `connectionString`: pg lets connectionString win over `database`, so the adapter's shadow
// database (`{ ...config, database: shadow }`) would otherwise connect to, and migrate, the main database.
import type { PoolConfig } from 'pg'
import { parseIntoClientConfig } from 'pg-connection-string'

export interface PgConnection {
  readonly poolConfig: PoolConfig
  /** `?schema=` of the URL (Prisma's convention); undefined means the server's search_path (public). */
  readonly schema: string | undefined
}

/** True for `postgres://` and `postgresql://` URLs. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim())
}

/** Splits a postgres(ql):// URL into pg pool fields; `?host=/dir` (Unix socket) and `?sslmode=` are honoured. */
export function pgConnectionFromUrl(url: string): PgConnection {
  if (!isPostgresUrl(url)) throw new Error('not a postgres:// or postgresql:// URL')
  const { schema, connection_limit, ...fields } = parseIntoClientConfig(url.trim()) as PoolConfig & {
    schema?: string
    connection_limit?: string
  }
  const poolConfig: PoolConfig = { ...fields }
  // Prisma's own URL parameter for the pool size; pg calls it `max`.
  if (connection_limit !== undefined && Number.isInteger(Number(connection_limit))) {
    poolConfig.max = Number(connection_limit)
  }
  // Prisma qualifies its queries with the schema, but migration SQL is unqualified: search_path sends it there.
  if (schema)
    poolConfig.options = [fields.options, `-c search_path="${schema.replace(/"/g, '""')}"`]
      .filter(Boolean)
      .join(' ')
  return { poolConfig, schema: schema || undefined }
}
