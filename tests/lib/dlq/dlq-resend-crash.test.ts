// A DLQ resend killed mid-job (SIGKILL of the process running it, as a crashed console) and retried after a
// restart: every DLQ message ends with exactly one copy. The next start marks the job's audit row UNKNOWN; a new
// batch over the same messages skips those the dead job recorded, looks up the few it had claimed but not
// recorded (at most two chunks) by the UNIQ_KEY each claim recorded — skipping the ones it finds, sending the
// others — and sends those the dead job never claimed.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as ReadJob from '@/lib/dlq/read-dlq-resend-job'
import type * as StartResend from '@/lib/dlq/start-dlq-resend'
import { REPO_ROOT } from '../../helpers/migrate'
import { OPERATOR, startDlqFixture, type DlqFixture } from './dlq-fixture'

const COUNT = 600
/** Slow enough that the kill lands mid-job, fast enough that the test stays short (~1.5 s of sends). */
const RATE_PER_SEC = 400
const KILL_AFTER_SENT = 150
/** The job's chunk workers × the largest chunk: what one process can have claimed and not yet recorded. */
const CLAIMED_UNRECORDED_MAX = 2 * 64

let f: DlqFixture
let start: typeof StartResend
let read: typeof ReadJob

beforeAll(async () => {
  f = await startDlqFixture()
  start = await import('@/lib/dlq/start-dlq-resend')
  read = await import('@/lib/dlq/read-dlq-resend-job')
}, 60_000)

afterAll(async () => {
  await f?.close()
})

/** Runs the child until it reported `killAfterSent` sends, then SIGKILLs it; resolves with what it reported. */
function runChildUntilKilled(requestFile: string): Promise<{ reportedSent: number; signal: string | null }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './tests/bench/allow-server-only.mjs',
      path.join(__dirname, 'resend-crash-child.ts'),
      requestFile,
    ],
    { cwd: REPO_ROOT, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let reportedSent = 0
  let out = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    const lines = out.split('\n')
    out = lines.pop() ?? ''
    for (const line of lines) {
      if (line.startsWith('S ')) reportedSent = Number(line.slice(2))
      if (line === 'DONE') stderr += '\nthe job finished before the kill'
      if (reportedSent >= KILL_AFTER_SENT && child.exitCode === null) child.kill('SIGKILL')
    }
  })
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      clearTimeout(guard)
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}/${signal}: ${stderr}`))
      else resolve({ reportedSent, signal })
    }),
  )
}

describe('DLQ resend across a SIGKILL', () => {
  it('leaves exactly one copy of every message: the retry skips what was sent, finds the unrecorded, sends the rest', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(COUNT, 'crash')
    const before = await f.messageCount(topic)
    const requestFile = path.join(f.dir, 'resend-request.json')
    const request = {
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC' as const,
      idempotencyKey: `crash-${process.pid}-${Date.now()}`,
      ratePerSec: RATE_PER_SEC,
    }
    writeFileSync(requestFile, JSON.stringify(request))

    const killed = await runChildUntilKilled(requestFile)
    expect(killed.reportedSent).toBeGreaterThanOrEqual(KILL_AFTER_SENT)
    const sentBeforeKill = (await f.messageCount(topic)) - before
    expect(sentBeforeKill).toBeGreaterThanOrEqual(killed.reportedSent)
    expect(sentBeforeKill).toBeLessThan(COUNT)

    // The restart: what the dead process left PENDING becomes UNKNOWN.
    const { db } = await import('@/lib/db')
    const { markStalePendingUnknown } = await import('@/lib/audit/mark-stale-pending-unknown')
    expect(await markStalePendingUnknown()).toBe(1)
    const audit = await db().auditLog.findFirstOrThrow({ where: { idempotencyKey: request.idempotencyKey } })
    expect(audit).toMatchObject({ action: 'dlq.resend', result: 'UNKNOWN' })
    // Its key cannot be replayed into a second job: nobody knows what it did.
    await expect(start.startDlqResend(OPERATOR, request)).rejects.toMatchObject({ code: 'CONFLICT' })

    // A new batch over all of them.
    const retry = await start.startDlqResend(OPERATOR, {
      ...request,
      idempotencyKey: `${request.idempotencyKey}-retry`,
      ratePerSec: 5_000,
    })
    const view = await read.waitForDlqResendJob(f.cluster, retry.jobId)
    expect(view).toMatchObject({ status: 'DONE', total: COUNT, failed: 0 })
    const skipped = allResults(retry.jobId, 'SKIPPED')
    // Sent before the kill and recorded, or sent but not yet recorded — then found by its UNIQ_KEY.
    const recorded = skipped.filter((r) => /^already resent at \S+, new msgId/.test(r.reason ?? ''))
    const found = skipped.filter((r) => r.reason?.includes('found by its UNIQ_KEY after a restart'))
    expect(recorded.length + found.length).toBe(view.skipped)
    expect(found.length).toBeLessThanOrEqual(CLAIMED_UNRECORDED_MAX)
    // Exactly the messages sent before the kill are skipped; the claimed-but-unsent ones are sent now.
    expect(view.skipped).toBe(sentBeforeKill)
    expect(view.sent).toBe(COUNT - sentBeforeKill)
    // Exactly one copy of every DLQ message in the topic.
    expect((await f.messageCount(topic)) - before).toBe(COUNT)
    const origins = await resentOrigins(topic)
    expect(origins.length).toBe(COUNT)
    expect(new Set(origins)).toEqual(new Set(dlqMsgIds))
    // The found ones point at their copies.
    for (const item of found) expect(item.newMsgId).toMatch(/^[0-9A-F]{32}$/)
  }, 120_000)
})

/** Every result of the job with `status`, page by page. */
function allResults(jobId: string, status: string) {
  const items = []
  for (let page = 1; ; page++) {
    const got = read.getDlqResendResults(f.cluster, jobId, { page, pageSize: 100, status })
    items.push(...got.items)
    if (items.length >= got.total || got.items.length === 0) return items
  }
}

/** RESENT_FROM_DLQ_MSG_ID of every message in `topic` that is a resend (the originals have none). */
async function resentOrigins(topic: string): Promise<string[]> {
  const origins: string[] = []
  const endMs = Date.now() + 60_000 // one range for every page: a cursor belongs to its query
  let cursor: string | undefined
  do {
    const page = await f.gateway.queryMessagesByTime({
      topic,
      beginMs: 0,
      endMs,
      pageSize: 500,
      cursor,
    })
    for (const m of page.data.messages) {
      const origin = m.properties['RESENT_FROM_DLQ_MSG_ID']
      if (origin) origins.push(origin)
    }
    cursor = page.data.nextCursor
  } while (cursor)
  return origins
}
