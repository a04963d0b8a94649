// lib/idempotency/run-once.ts on a real SQLite file: once per business key, concurrency-safe through the
// idempotency_key primary key; a failing handler releases its key; expired keys are purged.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, type Db } from '@/lib/db'
import { purgeExpiredIdempotencyKeys } from '@/lib/idempotency/purge-expired'
import { canonicalJson, requestHash } from '@/lib/idempotency/request-hash'
import { runOnce } from '@/lib/idempotency/run-once'
import { migrateFreshDatabase } from '../../helpers/migrate'

let dir: string
let client: Db

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-run-once-'))
  client = createPrismaClient(migrateFreshDatabase(dir))
})

afterAll(async () => {
  await client?.$disconnect()
  rmSync(dir, { recursive: true, force: true })
})

describe('runOnce', () => {
  it('runs the handler the first time and returns the stored value after', async () => {
    let runs = 0
    const handler = () => Promise.resolve({ points: 10 * ++runs })
    expect(await runOnce('points', 'ORD-1', handler, { db: client })).toEqual({
      ran: true,
      value: { points: 10 },
    })
    expect(await runOnce('points', 'ORD-1', handler, { db: client })).toEqual({
      ran: false,
      value: { points: 10 },
    })
    expect(runs).toBe(1)
    // Another scope, or another key, is another run.
    expect((await runOnce('ledger', 'ORD-1', handler, { db: client })).ran).toBe(true)
    expect((await runOnce('points', 'ORD-2', handler, { db: client })).ran).toBe(true)
    const row = await client.idempotencyKey.findUniqueOrThrow({ where: { key: 'points:ORD-1' } })
    expect(row).toMatchObject({ status: 'SUCCEEDED', action: 'once:points', responseJson: '{"points":10}' })
  })

  it('runs exactly one handler for concurrent calls with the same key', async () => {
    let runs = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const handler = async () => {
      runs++
      await gate
      return 'awarded'
    }
    let settled = 0
    let sevenSettled!: () => void
    const losersDone = new Promise<void>((resolve) => (sevenSettled = resolve))
    const calls = Array.from({ length: 8 }, () =>
      runOnce('points', 'ORD-concurrent', handler, { db: client }).finally(() => {
        if (++settled === 7) sevenSettled()
      }),
    )
    // The seven losers answer while the winner is still held at the gate: they do not wait for it.
    await losersDone
    expect(settled).toBe(7)
    release()
    const results = await Promise.all(calls)
    expect(runs).toBe(1)
    expect(results.filter((r) => r.ran)).toEqual([{ ran: true, value: 'awarded' }])
    for (const r of results) if (!r.ran) expect(r.value).toBeUndefined()
  })

  it('releases the key when the handler throws, so the redelivery runs it', async () => {
    let runs = 0
    const failing = () => {
      runs++
      return Promise.reject(new Error('ledger down'))
    }
    await expect(runOnce('points', 'ORD-fail', failing, { db: client })).rejects.toThrow('ledger down')
    expect(await client.idempotencyKey.findUnique({ where: { key: 'points:ORD-fail' } })).toBeNull()
    expect(await runOnce('points', 'ORD-fail', () => Promise.resolve(++runs), { db: client })).toEqual({
      ran: true,
      value: 2,
    })
  })

  it('validates the scope and the business key', async () => {
    await expect(runOnce('a:b', 'k', () => Promise.resolve(1), { db: client })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(runOnce('points', '', () => Promise.resolve(1), { db: client })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('keeps keys for retainMs; the purge deletes expired ones only', async () => {
    await runOnce('short', 'k1', () => Promise.resolve(1), { db: client, retainMs: 1_000 })
    await runOnce('short', 'k2', () => Promise.resolve(1), { db: client })
    expect(await purgeExpiredIdempotencyKeys(client, Date.now() + 60_000)).toBe(1)
    expect(await client.idempotencyKey.findUnique({ where: { key: 'short:k1' } })).toBeNull()
    expect(await client.idempotencyKey.findUnique({ where: { key: 'short:k2' } })).not.toBeNull()
    // After the purge the key runs again: retention is the promise, not forever.
    expect((await runOnce('short', 'k1', () => Promise.resolve(2), { db: client })).ran).toBe(true)
  })
})

describe('requestHash', () => {
  it('ignores object key order at every depth, but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}')
    expect(requestHash({ a: 1, b: { c: 2, d: 3 } })).toBe(requestHash({ b: { d: 3, c: 2 }, a: 1 }))
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }))
    expect(requestHash({ a: 1, u: undefined })).toBe(requestHash({ a: 1 }))
  })
})
