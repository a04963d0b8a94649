// The two Prisma schemas (SQLite default, PostgreSQL) must describe the same models, since lib/db.ts hands out
// either client under one type; and PostgreSQL URLs become the discrete pg fields the shadow database needs.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isPostgresUrl, pgConnectionFromUrl } from '@/prisma/pg/pool-config'
import { REPO_ROOT } from '../helpers/migrate'

/** Everything after the datasource block: enums and models. */
function modelsOf(schemaPath: string): string {
  const text = readFileSync(path.join(REPO_ROOT, schemaPath), 'utf8')
  const datasourceAt = text.indexOf('datasource db {')
  expect(datasourceAt).toBeGreaterThan(0)
  return text.slice(text.indexOf('\n}\n', datasourceAt) + 3).trim()
}

describe('Prisma schemas', () => {
  it('prisma/pg/schema.prisma has exactly the models of prisma/schema.prisma', () => {
    const sqlite = modelsOf('prisma/schema.prisma')
    expect(sqlite).toContain('model MetricSample {')
    expect(modelsOf('prisma/pg/schema.prisma')).toBe(sqlite)
  })

  it('each migrations folder is locked to its provider', () => {
    const lock = (dir: string) => readFileSync(path.join(REPO_ROOT, dir, 'migration_lock.toml'), 'utf8')
    expect(lock('prisma/migrations')).toContain('provider = "sqlite"')
    expect(lock('prisma/pg/migrations')).toContain('provider = "postgresql"')
  })
})

describe('pgConnectionFromUrl', () => {
  it('splits a URL into discrete fields, never a connectionString', () => {
    const { poolConfig, schema } = pgConnectionFromUrl(
      'postgresql://mqdeck:p%40ss%3Aword@db.internal:5433/console?schema=ops&connection_limit=5',
    )
    expect(poolConfig).toMatchObject({
      user: 'mqdeck',
      password: 'p@ss:word',
      host: 'db.internal',
      port: 5433,
      database: 'console',
      max: 5,
    })
    expect(poolConfig).not.toHaveProperty('connectionString')
    expect(poolConfig).not.toHaveProperty('schema')
    expect(schema).toBe('ops')
  })

  it('reads a Unix socket directory from ?host= and sslmode', () => {
    expect(
      pgConnectionFromUrl('postgres://mqdeck@localhost/mqdeck?host=/run/postgresql').poolConfig,
    ).toMatchObject({
      host: '/run/postgresql',
      database: 'mqdeck',
    })
    expect(pgConnectionFromUrl('postgres://u@h/d?sslmode=disable').poolConfig.ssl).toBe(false)
    expect(pgConnectionFromUrl('postgres://u@h/d?sslmode=verify-full').poolConfig.ssl).toBeTruthy()
    expect(pgConnectionFromUrl('postgres://u@h/d').schema).toBeUndefined()
  })

  it('tells PostgreSQL URLs from SQLite ones', () => {
    expect(isPostgresUrl('postgresql://u@h/d')).toBe(true)
    expect(isPostgresUrl('postgres://u@h/d')).toBe(true)
    expect(isPostgresUrl('file:///srv/mqdeck.db')).toBe(false)
    expect(() => pgConnectionFromUrl('file:///srv/mqdeck.db')).toThrow(/postgres/)
  })
})
