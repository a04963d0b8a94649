// lib/db.ts against a real SQLite file: the committed migrations apply offline with `prisma migrate deploy`,
// and the Rust-free client (libsql adapter) round-trips rows; Prisma's error codes map through toAppError.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, OperationResult, type Db } from '@/lib/db'
import { toAppError } from '@/lib/errors'
import { migrateFreshDatabase } from '../helpers/migrate'

describe('lib/db', () => {
  let dir: string
  let client: Db

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-db-'))
    client = createPrismaClient(migrateFreshDatabase(dir))
  })

  afterAll(async () => {
    await client?.$disconnect()
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes and reads an AuditLog row with its snake_case columns and enum', async () => {
    const created = await client.auditLog.create({
      data: {
        actor: 'console',
        action: 'store.sendTestMessage',
        targetType: 'topic',
        targetId: 'TestTopic',
        requestJson: JSON.stringify({ topic: 'TestTopic' }),
      },
    })
    expect(created.result).toBe(OperationResult.PENDING)
    expect(created.at).toBeInstanceOf(Date)

    await client.auditLog.update({
      where: { id: created.id },
      data: { result: OperationResult.SUCCEEDED, durationMs: 12 },
    })
    const row = await client.auditLog.findUniqueOrThrow({ where: { id: created.id } })
    expect(row).toMatchObject({ result: 'SUCCEEDED', durationMs: 12, targetId: 'TestTopic', errorCode: null })

    const raw = await client.$queryRawUnsafe<{ target_type: string; result: string }[]>(
      'SELECT target_type, result FROM audit_log WHERE id = ?',
      created.id,
    )
    expect(raw).toEqual([{ target_type: 'topic', result: 'SUCCEEDED' }])
  })

  it('maps a duplicate idempotency key (P2002) to CONFLICT', async () => {
    const data = {
      key: 'key-1',
      action: 'store.sendTestMessage',
      requestHash: 'abc',
      expiresAt: new Date(Date.now() + 60_000),
    }
    await client.idempotencyKey.create({ data })
    const err: unknown = await client.idempotencyKey.create({ data }).catch((e: unknown) => e)
    const appError = toAppError(err)
    expect(appError.code).toBe('CONFLICT')
    expect(appError.details).toMatchObject({ prismaCode: 'P2002' })
  })

  it('maps a missing row (P2025) to NOT_FOUND', async () => {
    const err: unknown = await client.auditLog
      .update({ where: { id: 987_654 }, data: { result: 'FAILED' } })
      .catch((e: unknown) => e)
    expect(toAppError(err).code).toBe('NOT_FOUND')
  })

  it('stores metric samples', async () => {
    const at = new Date()
    await client.metricSample.create({
      data: { at, cluster: 'embedded', broker: 'broker-a', metric: 'putTps', value: 12.5 },
    })
    const samples = await client.metricSample.findMany({ where: { metric: 'putTps', at: { gte: at } } })
    expect(samples).toHaveLength(1)
    expect(samples[0]?.value).toBe(12.5)
  })
})
