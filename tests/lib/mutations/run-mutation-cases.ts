// The runMutation cases both providers must pass (run-mutation.test.ts on a SQLite file, run-mutation-postgres
// .test.ts on a PostgreSQL server): audit row around the run, idempotent replay, conflicts, refusals, restarts.
import { randomUUID } from 'node:crypto'
import { expect, it, vi } from 'vitest'
import { markStalePendingUnknown } from '@/lib/audit/mark-stale-pending-unknown'
import type { Db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { runMutation, type MutationSpec } from '@/lib/mutations/run-mutation'

const admin = { userId: 1, username: 'ada', role: 'admin' } as const
const operator = { userId: 2, username: 'oscar', role: 'operator' } as const
const viewer = { userId: 3, username: 'vera', role: 'viewer' } as const

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (err: unknown) => err as AppError,
  )
}

/**
 * Registers the cases. `client()` is the test's own client on the database db() also points at;
 * `brokenClient()` is one whose tables do not exist (every write fails). Clusters "rw" and "ro" (read-only) exist.
 */
export function runMutationCases(client: () => Db, brokenClient: () => Db): void {
  const spec = (overrides: Partial<MutationSpec<{ sent: number }>> = {}): MutationSpec<{ sent: number }> => ({
    action: 'dlq.resend',
    minRole: 'operator',
    cluster: 'rw',
    targetType: 'group',
    targetId: 'GID_A',
    idempotencyKey: randomUUID(),
    request: { group: 'GID_A', msgIds: ['m1', 'm2'] },
    run: () => Promise.resolve({ sent: 2 }),
    ...overrides,
  })
  const auditRows = (idempotencyKey: string) =>
    client().auditLog.findMany({ where: { idempotencyKey }, orderBy: { id: 'asc' } })

  it('writes the audit row PENDING (and claims the key) before running, SUCCEEDED after', async () => {
    const seen: unknown[] = []
    const s = spec({
      summarize: (o) => ({ sentCount: o.sent }),
      run: async () => {
        const row = await client().auditLog.findFirstOrThrow({ where: { idempotencyKey: s.idempotencyKey } })
        const key = await client().idempotencyKey.findUniqueOrThrow({ where: { key: s.idempotencyKey } })
        seen.push(row.result, key.status)
        return { sent: 2 }
      },
    })
    const result = await runMutation(operator, s)
    expect(result).toMatchObject({ outcome: { sent: 2 }, replayed: false })
    expect(seen).toEqual(['PENDING', 'PENDING'])
    const [row, ...more] = await auditRows(s.idempotencyKey)
    expect(more).toEqual([])
    expect(row).toMatchObject({
      id: result.auditId,
      actor: 'oscar',
      action: 'dlq.resend',
      targetType: 'group',
      targetId: 'GID_A',
      cluster: 'rw',
      result: 'SUCCEEDED',
      replayed: false,
      errorCode: null,
    })
    expect(JSON.parse(row!.requestJson)).toEqual({ group: 'GID_A', msgIds: ['m1', 'm2'] })
    expect(JSON.parse(row!.resultJson!)).toEqual({ sentCount: 2 })
    expect(row!.durationMs).toBeGreaterThanOrEqual(0)
    const key = await client().idempotencyKey.findUniqueOrThrow({ where: { key: s.idempotencyKey } })
    expect(key).toMatchObject({ status: 'SUCCEEDED', action: 'dlq.resend', responseJson: '{"sent":2}' })
    expect(key.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000)
  })

  it('marks a failure FAILED with the mapped code and rethrows it as an AppError', async () => {
    const s = spec({ run: () => Promise.reject(new AppError('NOT_FOUND', 'no group GID_A')) })
    const err = await errorOf(runMutation(operator, s))
    expect(err).toMatchObject({ name: 'AppError', code: 'NOT_FOUND', message: 'no group GID_A' })
    const [row] = await auditRows(s.idempotencyKey)
    expect(row).toMatchObject({ result: 'FAILED', errorCode: 'NOT_FOUND', errorMessage: 'no group GID_A' })
    expect(row!.durationMs).toBeGreaterThanOrEqual(0)
    const key = await client().idempotencyKey.findUniqueOrThrow({ where: { key: s.idempotencyKey } })
    expect(key.status).toBe('FAILED')
  })

  it('runs nothing when the audit row cannot be written', async () => {
    let runs = 0
    const s = spec({ run: () => Promise.resolve({ sent: ++runs }) })
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let loggedMessages: unknown[] = []
    const err = await errorOf(runMutation(operator, s, { db: brokenClient() })).finally(() => {
      loggedMessages = logged.mock.calls.map((call): unknown => call[0])
      logged.mockRestore()
    })
    expect(err).toBeInstanceOf(AppError)
    expect(loggedMessages).toEqual(['[mqdeck] audit write failed; the operation did not run'])
    expect(runs).toBe(0)
    expect(await auditRows(s.idempotencyKey)).toEqual([])
  })

  it('replays a repeated key with the same request: the stored outcome, no second run, a replayed row', async () => {
    let runs = 0
    const s = spec({ run: () => Promise.resolve({ sent: ++runs }) })
    const first = await runMutation(operator, s)
    // Same intent, request members in another order: still the same request.
    const again = await runMutation(operator, { ...s, request: { msgIds: ['m1', 'm2'], group: 'GID_A' } })
    expect(runs).toBe(1)
    expect(first).toMatchObject({ outcome: { sent: 1 }, replayed: false })
    expect(again).toMatchObject({ outcome: { sent: 1 }, replayed: true })
    expect(again.auditId).not.toBe(first.auditId)
    const rows = await auditRows(s.idempotencyKey)
    expect(rows.map((r) => [r.result, r.replayed])).toEqual([
      ['SUCCEEDED', false],
      ['SUCCEEDED', true],
    ])
    expect(rows[1]!.resultJson).toBe('{"sent":1}')
  })

  it('refuses the same key with a different request (CONFLICT), audited, without running', async () => {
    let runs = 0
    const s = spec({ run: () => Promise.resolve({ sent: ++runs }) })
    await runMutation(operator, s)
    const err = await errorOf(runMutation(operator, { ...s, request: { group: 'GID_B', msgIds: ['m1'] } }))
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: 'this idempotency key was used for a different request',
    })
    // Another user reusing someone's key is a different request too.
    expect((await errorOf(runMutation(admin, s))).code).toBe('CONFLICT')
    expect(runs).toBe(1)
    const rows = await auditRows(s.idempotencyKey)
    expect(rows.map((r) => [r.result, r.errorCode])).toEqual([
      ['SUCCEEDED', null],
      ['FAILED', 'CONFLICT'],
      ['FAILED', 'CONFLICT'],
    ])
  })

  it('runs a concurrent double submit exactly once', async () => {
    let runs = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const s = spec({
      run: async () => {
        runs++
        await gate
        return { sent: 2 }
      },
    })
    const submits = [runMutation(operator, s), runMutation(operator, s), runMutation(operator, s)]
    // The losers settle (CONFLICT "in progress") while the winner is held at the gate.
    const settledLosers = await Promise.race([
      Promise.allSettled(submits).then(() => 'all'),
      (async () => {
        while ((await auditRows(s.idempotencyKey)).filter((r) => r.result === 'FAILED').length < 2)
          await new Promise((resolve) => setImmediate(resolve))
        return 'losers'
      })(),
    ])
    expect(settledLosers).toBe('losers')
    release()
    const results = await Promise.allSettled(submits)
    expect(runs).toBe(1)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results)
      if (r.status === 'rejected')
        expect(r.reason).toMatchObject({ code: 'CONFLICT', message: /in progress/ })
    // After it finished, the same key replays.
    expect(await runMutation(operator, s)).toMatchObject({ outcome: { sent: 2 }, replayed: true })
    expect(runs).toBe(1)
  })

  it('runs a failed intent again when retried with its key (once, even when retried twice at once)', async () => {
    let runs = 0
    let fail = true
    // The retry that wins the claim holds it until the other one has been answered, so the two really overlap
    // (otherwise a fast database lets the second arrive after the first finished, and it replays instead).
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const s = spec({
      run: async () => {
        runs++
        if (fail) throw new AppError('SERVICE_UNAVAILABLE', 'broker-a did not answer')
        await gate
        return { sent: 2 }
      },
    })
    expect((await errorOf(runMutation(operator, s))).code).toBe('SERVICE_UNAVAILABLE')
    fail = false
    const attempts = [runMutation(operator, s), runMutation(operator, s)]
    const settled = attempts.map((a) =>
      a.then(
        () => 'fulfilled',
        () => 'rejected',
      ),
    )
    // The loser is refused while the winner is still running.
    expect(await Promise.race(settled)).toBe('rejected')
    release()
    const retries = await Promise.allSettled(attempts)
    expect(runs).toBe(2)
    expect(retries.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = retries.find((r) => r.status === 'rejected')
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' })
    const rows = await auditRows(s.idempotencyKey)
    expect(rows.filter((r) => r.result === 'SUCCEEDED')).toHaveLength(1)
    expect(
      (await client().idempotencyKey.findUniqueOrThrow({ where: { key: s.idempotencyKey } })).status,
    ).toBe('SUCCEEDED')
  })

  it('refuses a role below minRole with FORBIDDEN and audits the attempt as FAILED', async () => {
    let runs = 0
    const s = spec({ minRole: 'operator', run: () => Promise.resolve({ sent: ++runs }) })
    const err = await errorOf(runMutation(viewer, s))
    expect(err).toMatchObject({
      code: 'FORBIDDEN',
      message: 'dlq.resend needs the operator role; vera is viewer',
    })
    expect(runs).toBe(0)
    const [row] = await auditRows(s.idempotencyKey)
    expect(row).toMatchObject({ actor: 'vera', result: 'FAILED', errorCode: 'FORBIDDEN' })
    // No key was claimed: the refused attempt does not block the intent for someone allowed.
    expect(await client().idempotencyKey.findUnique({ where: { key: s.idempotencyKey } })).toBeNull()
    expect((await errorOf(runMutation(operator, { ...s, minRole: 'admin' }))).code).toBe('FORBIDDEN')
    expect(await runMutation(admin, { ...s, minRole: 'admin' })).toMatchObject({ replayed: false })
  })

  it('refuses every mutation on a read-only cluster before anything runs', async () => {
    let runs = 0
    const s = spec({ cluster: 'ro', run: () => Promise.resolve({ sent: ++runs }) })
    const err = await errorOf(runMutation(admin, s))
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: 'cluster ro is read-only' })
    expect(runs).toBe(0)
    const [row] = await auditRows(s.idempotencyKey)
    expect(row).toMatchObject({ result: 'FAILED', errorCode: 'FORBIDDEN', cluster: 'ro' })
    // An unknown cluster is NOT_FOUND, also before running.
    expect((await errorOf(runMutation(admin, spec({ cluster: 'nope' })))).code).toBe('NOT_FOUND')
  })

  it('rejects a malformed idempotency key', async () => {
    const err = await errorOf(runMutation(operator, spec({ idempotencyKey: 'short' })))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.fieldErrors?.idempotencyKey).toHaveLength(1)
    expect((await errorOf(runMutation(operator, spec({ idempotencyKey: 'points:ORD-1' })))).code).toBe(
      'VALIDATION_FAILED',
    )
  })

  it('turns stale PENDING rows and keys UNKNOWN at start; a repeat of such a key is refused', async () => {
    const key = randomUUID()
    // What a process that died mid-run leaves behind: a PENDING row and a PENDING key.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const s = spec({ idempotencyKey: key, run: () => gate.then(() => ({ sent: 2 })) })
    const running = runMutation(operator, s)
    while ((await auditRows(key)).length === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(await markStalePendingUnknown(client())).toBeGreaterThanOrEqual(1)
    expect((await auditRows(key))[0]!.result).toBe('UNKNOWN')
    expect((await client().idempotencyKey.findUniqueOrThrow({ where: { key } })).status).toBe('UNKNOWN')
    const err = await errorOf(runMutation(operator, s))
    expect(err).toMatchObject({ code: 'CONFLICT', message: /unknown outcome/ })
    release()
    await running
  })

  it('claims an expired key afresh', async () => {
    const key = randomUUID()
    let runs = 0
    const s = spec({ idempotencyKey: key, run: () => Promise.resolve({ sent: ++runs }) })
    await runMutation(operator, s)
    await client().idempotencyKey.update({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect(await runMutation(operator, s)).toMatchObject({ outcome: { sent: 2 }, replayed: false })
  })

  it('stores an undefined outcome and replays it as undefined', async () => {
    const s: MutationSpec<undefined> = {
      ...spec(),
      run: () => Promise.resolve(undefined),
      summarize: undefined,
    }
    expect(await runMutation(admin, s)).toMatchObject({ outcome: undefined, replayed: false })
    expect(await runMutation(admin, s)).toMatchObject({ outcome: undefined, replayed: true })
  })
}
