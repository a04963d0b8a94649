// lib/audit/run-audited.ts: the audit row is written before the operation and finished after it; when the row
// cannot be written, the operation does not run. Stale PENDING rows become UNKNOWN.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { EngineError } from '@/broker-engine/index'
import { markStalePendingUnknown } from '@/lib/audit/mark-stale-pending-unknown'
import { runAudited } from '@/lib/audit/run-audited'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'

const audit = {
  actor: 'test',
  action: 'topic.create',
  targetType: 'topic',
  targetId: 'T1',
  request: { topic: 'T1' },
}

describe('runAudited', () => {
  let dir: string
  let client: Db

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-audit-'))
    process.env.DATABASE_URL = migrateFreshDatabase(dir)
    client = createPrismaClient(process.env.DATABASE_URL)
  })

  afterAll(async () => {
    await client?.$disconnect()
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes PENDING before the operation runs, then SUCCEEDED', async () => {
    const seen: string[] = []
    const value = await runAudited(audit, async () => {
      const row = await client.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })
      seen.push(row.result)
      return 42
    })
    expect(value).toBe(42)
    expect(seen).toEqual(['PENDING'])
    const row = await client.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })
    expect(row).toMatchObject({ result: 'SUCCEEDED', actor: 'test', targetId: 'T1', errorCode: null })
    expect(JSON.parse(row.requestJson)).toEqual({ topic: 'T1' })
  })

  it('marks FAILED with the mapped code and rethrows an AppError', async () => {
    await expect(
      runAudited(audit, () => Promise.reject(new EngineError('TOPIC_INVALID', 'topic T1 is invalid'))),
    ).rejects.toMatchObject({ name: 'AppError', code: 'VALIDATION_FAILED' })
    const row = await client.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })
    expect(row).toMatchObject({
      result: 'FAILED',
      errorCode: 'VALIDATION_FAILED',
      errorMessage: 'topic T1 is invalid',
    })
  })

  it('turns PENDING rows left by a previous process into UNKNOWN', async () => {
    const { request, ...row } = audit
    await client.auditLog.create({ data: { ...row, requestJson: JSON.stringify(request) } })
    expect(await markStalePendingUnknown()).toBe(1)
    expect(await client.auditLog.count({ where: { result: 'UNKNOWN' } })).toBe(1)
    expect(await client.auditLog.count({ where: { result: 'PENDING' } })).toBe(0)
  })
})

describe('runAudited without a usable database', () => {
  it('does not run the operation when the audit row cannot be written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-audit-nodb-'))
    // A separate process-wide client is needed: this test swaps DATABASE_URL before the first db() call.
    vi.resetModules()
    const previous = process.env.DATABASE_URL
    const g = globalThis as { __mqdeckPrisma?: unknown }
    const saved = g.__mqdeckPrisma
    g.__mqdeckPrisma = undefined
    process.env.DATABASE_URL = pathToFileURL(path.join(dir, 'unmigrated.db')).href
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const { runAudited: runAuditedFresh } = await import('@/lib/audit/run-audited')
      const operation = vi.fn(() => Promise.resolve('ran'))
      await expect(runAuditedFresh(audit, operation)).rejects.toMatchObject({ name: 'AppError' })
      expect(operation).not.toHaveBeenCalled()
      expect(errors).toHaveBeenCalled()
    } finally {
      errors.mockRestore()
      g.__mqdeckPrisma = saved
      process.env.DATABASE_URL = previous
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
