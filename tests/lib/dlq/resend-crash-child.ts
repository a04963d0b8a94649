// Child of dlq-resend-crash.test.ts: the console's side of a DLQ resend in its own process, so the test can
// SIGKILL it mid-job. Reads DATABASE_URL (migrated, with the cluster registered) from the environment and a JSON
// request file; starts the resend through lib/dlq and prints `S <sent>` as the job's count moves, `DONE` at the end.
// Run with `node --import tsx --import ./tests/bench/allow-server-only.mjs`.
import { readFileSync } from 'node:fs'
import type { StartDlqResendInput } from '@/lib/dlq/dlq-schemas'
import { OPERATOR } from './dlq-fixture'

const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as StartDlqResendInput
const { startDlqResend } = await import('@/lib/dlq/start-dlq-resend')
const { getDlqResendJob } = await import('@/lib/dlq/read-dlq-resend-job')

const started = await startDlqResend(OPERATOR, request)
let reported = -1
for (;;) {
  const view = getDlqResendJob(request.cluster, started.jobId)
  if (view.sent !== reported) process.stdout.write(`S ${(reported = view.sent)}\n`)
  if (view.status !== 'RUNNING') break
  await new Promise((resolve) => setTimeout(resolve, 5))
}
process.stdout.write('DONE\n')
process.exit(0)
