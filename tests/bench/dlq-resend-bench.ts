// DLQ resend (issue 6's target: a resend of 10,000 DLQ messages completes with progress and produces exactly
// 10,000 new messages; a resend repeated with the same key produces none). A standalone broker on a temp dir,
// registered as a cluster in a migrated SQLite file (WAL, as the server runs it); 10,000 messages are sent and
// dead-lettered over remoting as a consumer's send-back does, then resent through lib/dlq's job service
// (runMutation + one once-record per message, claimed and recorded a chunk at a time) at the highest rate a
// request may ask for, polling progress as the page does.
import path from 'node:path'
import { result, type BenchResult } from './bench-kit'

const RESEND_COUNT = 10_000
const QUICK_RESEND_COUNT = 1_000
const PROGRESS_POLL_MS = 250

export async function dlqResendBenchmarks(root: string, quick: boolean): Promise<BenchResult[]> {
  const count = quick ? QUICK_RESEND_COUNT : RESEND_COUNT
  // lib/ is imported lazily: `npm run bench` registers tests/bench/allow-server-only.mjs first.
  const { startDlqFixture, OPERATOR } = await import('../lib/dlq/dlq-fixture')
  const f = await startDlqFixture({ parallelism: 64 })
  try {
    void root // the fixture makes its own temp dir (store + database) under the OS temp dir
    const { startDlqResend } = await import('../../lib/dlq/start-dlq-resend')
    const { getDlqResendJob, waitForDlqResendJob } = await import('../../lib/dlq/read-dlq-resend-job')
    const { DLQ_RATE_PER_SEC_MAX } = await import('../../lib/dlq/dlq-schemas')

    const { topic, group, dlqMsgIds } = await f.deadLetters(count, 'bench_dlq')
    const before = await f.messageCount(topic)
    const input = {
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC' as const,
      idempotencyKey: `bench-${process.pid}-${Date.now()}`,
      ratePerSec: DLQ_RATE_PER_SEC_MAX,
    }
    const t0 = performance.now()
    const started = await startDlqResend(OPERATOR, input)
    const progress: number[] = []
    const timer = setInterval(
      () => progress.push(getDlqResendJob(f.cluster, started.jobId).done),
      PROGRESS_POLL_MS,
    )
    const view = await waitForDlqResendJob(f.cluster, started.jobId)
    clearInterval(timer)
    const seconds = (performance.now() - t0) / 1000
    const created = (await f.messageCount(topic)) - before
    if (view.status !== 'DONE' || view.sent !== count || created !== count)
      throw new Error(`resend of ${count}: ${JSON.stringify(view)}, ${created} new messages in ${topic}`)

    const replay = await startDlqResend(OPERATOR, input)
    const newKey = await startDlqResend(OPERATOR, {
      ...input,
      idempotencyKey: `${input.idempotencyKey}-again`,
    })
    const again = await waitForDlqResendJob(f.cluster, newKey.jobId)
    const createdAfterRepeats = (await f.messageCount(topic)) - before - count
    if (
      !replay.replayed ||
      replay.jobId !== started.jobId ||
      again.skipped !== count ||
      createdAfterRepeats !== 0
    )
      throw new Error(`repeat: replay ${JSON.stringify(replay)}, new key ${JSON.stringify(again)}`)

    console.log(
      `dlq resend: ${count} messages in ${seconds.toFixed(1)} s (${progress.length} progress reads, ` +
        `first ${progress[0] ?? '-'}), ${created} new messages; same key replayed job ${replay.jobId}, ` +
        `new key skipped ${again.skipped}, ${createdAfterRepeats} more messages (${path.basename(f.dir)})`,
    )
    return [
      // The ceiling is the rate the job asked for (the most a request may): the ratio is how close it got.
      result('dlq.resend.msgsPerSec', count / seconds, 'msg/s', { ceiling: DLQ_RATE_PER_SEC_MAX }),
      result('dlq.resend.newMessages', created, 'messages', { target: count, targetKind: 'min' }),
      result('dlq.resend.repeatNewMessages', createdAfterRepeats, 'messages', {
        target: 0,
        targetKind: 'max',
      }),
    ]
  } finally {
    await f.close()
  }
}
