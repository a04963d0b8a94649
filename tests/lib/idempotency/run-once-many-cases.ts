// The runOnceMany cases both providers must pass (run-once-many.test.ts on SQLite, db-postgres.test.ts on
// PostgreSQL): its claim, read and settle are hand-written SQL, so each dialect is proved on a real server,
// including that the rows it writes read back through Prisma exactly like rows Prisma wrote.
import { expect, it } from 'vitest'
import type { Db } from '@/lib/db'
import { purgeExpiredIdempotencyKeys } from '@/lib/idempotency/purge-expired'
import { runOnce } from '@/lib/idempotency/run-once'
import { runOnceMany, settleUnknownOnce, type RunOnceManyResult } from '@/lib/idempotency/run-once-many'

let seq = 0
/** Business keys no other case (or run) uses. */
const freshKeys = (n: number) => {
  const base = `b${Date.now().toString(36)}-${++seq}`
  return Array.from({ length: n }, (_, i) => `${base}-${i}`)
}

const statuses = <T>(results: Map<string, RunOnceManyResult<T>>) => [...results.values()].map((r) => r.status)

export function runOnceManyCases(client: () => Db): void {
  it('runs each new key once, records its value, and answers repeats from the records', async () => {
    const keys = freshKeys(5)
    const runs: string[] = []
    const handler = (k: string) => {
      runs.push(k)
      return Promise.resolve({ awarded: k.length, at: `t-${k}` })
    }
    const first = await runOnceMany('points', keys, handler, { db: client() })
    expect(statuses(first)).toEqual(['RAN', 'RAN', 'RAN', 'RAN', 'RAN'])
    expect(first.get(keys[2]!)).toEqual({
      status: 'RAN',
      value: { awarded: keys[2]!.length, at: `t-${keys[2]}` },
    })

    // Two old keys, one new, one repeated inside the batch.
    const more = freshKeys(1)[0]!
    const second = await runOnceMany('points', [keys[0]!, more, keys[4]!, more], handler, { db: client() })
    expect([...second.keys()]).toEqual([keys[0], more, keys[4]])
    expect(second.get(keys[0]!)).toEqual({
      status: 'EARLIER',
      value: { awarded: keys[0]!.length, at: `t-${keys[0]}` },
      outcomeUnknown: false,
    })
    expect(second.get(more)!.status).toBe('RAN')
    expect(runs).toEqual([...keys, more])

    // The records read through Prisma like any other: status, action, value, and dates as Dates.
    const row = await client().idempotencyKey.findUniqueOrThrow({ where: { key: `points:${keys[1]}` } })
    expect(row).toMatchObject({ status: 'SUCCEEDED', action: 'once:points' })
    expect(JSON.parse(row.responseJson!)).toEqual({ awarded: keys[1]!.length, at: `t-${keys[1]}` })
    expect(row.createdAt).toBeInstanceOf(Date)
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000)
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(6 * 24 * 3600_000)
    // And runOnce sees them: same records, same scope.
    expect(await runOnce('points', keys[3]!, () => handler(keys[3]!), { db: client() })).toEqual({
      ran: false,
      value: { awarded: keys[3]!.length, at: `t-${keys[3]}` },
    })
  })

  it('releases the keys whose handler threw, so a later batch runs them; undefined values stay recorded', async () => {
    const keys = freshKeys(4)
    const boom = new Error('broker said no')
    const first = await runOnceMany(
      'resend',
      keys,
      (k) => (k.endsWith('-1') || k.endsWith('-3') ? Promise.reject(boom) : Promise.resolve(undefined)),
      { db: client() },
    )
    expect(statuses(first)).toEqual(['RAN', 'THREW', 'RAN', 'THREW'])
    expect(first.get(keys[1]!)).toEqual({ status: 'THREW', error: boom })
    expect(
      await client().idempotencyKey.count({ where: { key: { in: keys.map((k) => `resend:${k}`) } } }),
    ).toBe(2)

    const again: string[] = []
    const second = await runOnceMany('resend', keys, (k) => Promise.resolve(void again.push(k)), {
      db: client(),
    })
    expect(again).toEqual([keys[1], keys[3]])
    expect(second.get(keys[0]!)).toEqual({ status: 'EARLIER', value: undefined, outcomeUnknown: false })
    const row = await client().idempotencyKey.findUniqueOrThrow({ where: { key: `resend:${keys[0]}` } })
    expect(row).toMatchObject({ status: 'SUCCEEDED', responseJson: null })
  })

  it('does not run a key whose run a stopped process left unknown, and says so', async () => {
    const [lost, fresh] = freshKeys(2) as [string, string]
    // What a process killed mid-handler leaves once the next start has reviewed it (markStalePendingUnknown).
    await client().idempotencyKey.create({
      data: {
        key: `resend:${lost}`,
        action: 'once:resend',
        requestHash: 'h',
        status: 'UNKNOWN',
        expiresAt: new Date(Date.now() + 60_000),
      },
    })
    const ran: string[] = []
    const results = await runOnceMany('resend', [lost, fresh], (k) => Promise.resolve(void ran.push(k)), {
      db: client(),
    })
    expect(results.get(lost)).toEqual({ status: 'EARLIER', value: undefined, outcomeUnknown: true })
    expect(ran).toEqual([fresh])
  })

  it('keeps each claim’s intent, hands it back when the run was lost, and records what became of it', async () => {
    const [sent, unsent, mine] = freshKeys(3) as [string, string, string]
    // A process claims two keys with their intents and dies mid-handler (the handler never returns here).
    let releaseHandlers!: () => void
    const stuck = new Promise<void>((resolve) => (releaseHandlers = resolve))
    const dying = runOnceMany('lost', [sent, unsent], () => stuck.then(() => 'late'), {
      db: client(),
      intents: new Map([
        [sent, { uniqKey: 'U-1' }],
        [unsent, { uniqKey: 'U-2' }],
      ]),
    })
    await expect
      .poll(() => client().idempotencyKey.count({ where: { action: 'once:lost', status: 'PENDING' } }))
      .toBe(2)
    // The next start's review (markStalePendingUnknown does this for every PENDING row).
    await client().idempotencyKey.updateMany({
      where: { key: { in: [`lost:${sent}`, `lost:${unsent}`] } },
      data: { status: 'UNKNOWN' },
    })

    const ran: string[] = []
    const later = await runOnceMany('lost', [sent, unsent, mine], (k) => Promise.resolve(void ran.push(k)), {
      db: client(),
    })
    expect(ran).toEqual([mine])
    expect(later.get(sent)).toEqual({
      status: 'EARLIER',
      value: undefined,
      outcomeUnknown: true,
      intent: { uniqKey: 'U-1' },
    })
    expect(later.get(unsent)).toMatchObject({ outcomeUnknown: true, intent: { uniqKey: 'U-2' } })

    // The caller found U-1's effect and not U-2's: one is recorded as done, the other released; `mine` (not
    // UNKNOWN) is left alone even if named.
    await settleUnknownOnce('lost', [{ businessKey: sent, value: { found: 'U-1' } }], [unsent, mine], {
      db: client(),
    })
    const after = await runOnceMany('lost', [sent, unsent, mine], () => Promise.resolve({ found: 'now' }), {
      db: client(),
    })
    expect(after.get(sent)).toEqual({ status: 'EARLIER', value: { found: 'U-1' }, outcomeUnknown: false })
    expect(after.get(unsent)).toEqual({ status: 'RAN', value: { found: 'now' } })
    expect(after.get(mine)).toMatchObject({ status: 'EARLIER', outcomeUnknown: false })

    // The dying run's late settle changes nothing: its records are no longer PENDING.
    releaseHandlers()
    await dying
    expect(await client().idempotencyKey.findUniqueOrThrow({ where: { key: `lost:${sent}` } })).toMatchObject(
      { status: 'SUCCEEDED', responseJson: '{"found":"U-1"}' },
    )
  })

  it('gives every key one owner when batches race over the same keys', async () => {
    const keys = freshKeys(40)
    const runsPerKey = new Map<string, number>()
    const handler = async (k: string) => {
      runsPerKey.set(k, (runsPerKey.get(k) ?? 0) + 1)
      await new Promise((resolve) => setImmediate(resolve))
      return k
    }
    // Four overlapping batches at once: [0,20), [10,30), [20,40), all 40.
    const batches = [keys.slice(0, 20), keys.slice(10, 30), keys.slice(20), keys]
    const results = await Promise.all(batches.map((b) => runOnceMany('race', b, handler, { db: client() })))
    expect([...runsPerKey.values()].every((n) => n === 1)).toBe(true)
    expect(runsPerKey.size).toBe(40)
    const ran = results.flatMap((r) => [...r].filter(([, v]) => v.status === 'RAN').map(([k]) => k))
    expect(ran.sort()).toEqual([...keys].sort())
    expect(await client().idempotencyKey.count({ where: { action: 'once:race', status: 'SUCCEEDED' } })).toBe(
      40,
    )
  })

  it('keeps the retention it is given, so the purge removes expired records and the key may run again', async () => {
    const keys = freshKeys(3)
    await runOnceMany('short', keys, () => Promise.resolve(1), { db: client(), retainMs: 1_000 })
    const purged = await purgeExpiredIdempotencyKeys(client(), Date.now() + 2_000)
    expect(purged).toBeGreaterThanOrEqual(3)
    expect(
      await client().idempotencyKey.count({ where: { key: { in: keys.map((k) => `short:${k}`) } } }),
    ).toBe(0)
    const again = await runOnceMany('short', keys, () => Promise.resolve(2), { db: client() })
    expect(statuses(again)).toEqual(['RAN', 'RAN', 'RAN'])
  })

  it('refuses a malformed scope or key before anything runs', async () => {
    let runs = 0
    const handler = () => Promise.resolve(++runs)
    await expect(runOnceMany('bad:scope', ['k'], handler, { db: client() })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(runOnceMany('ok', ['k', ''], handler, { db: client() })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(runs).toBe(0)
    expect((await runOnceMany('ok', [], handler, { db: client() })).size).toBe(0)
  })
}
