// The hourly job that deletes expired idempotency keys (node-cron), started once per process from
// instrumentation.ts next to the metrics jobs (kept on globalThis: Next loads modules more than once).
import 'server-only'
import cron, { type ScheduledTask } from 'node-cron'
import type { Db } from '@/lib/db'
import { purgeExpiredIdempotencyKeys } from '@/lib/idempotency/purge-expired'

/** Minute 47 of every hour: away from the metrics retention run at minute 17. */
export const IDEMPOTENCY_PURGE_SCHEDULE = '0 47 * * * *'

export interface IdempotencyPurgeJob {
  /** Runs one purge now (also what each tick does); resolves with how many keys went. */
  runOnce(): Promise<number>
  /** Stops the schedule and waits for a purge in flight. */
  stop(): Promise<void>
}

export interface IdempotencyPurgeOptions {
  readonly db?: Db
  readonly log?: (message: string) => void
}

const g = globalThis as unknown as { __mqdeckIdempotencyPurge?: IdempotencyPurgeJob }

/** Starts the job, or returns the one this process already runs. */
export function startIdempotencyPurgeJob(options: IdempotencyPurgeOptions = {}): IdempotencyPurgeJob {
  if (g.__mqdeckIdempotencyPurge) return g.__mqdeckIdempotencyPurge
  const log = options.log ?? ((m: string) => console.warn(`[mqdeck idempotency] ${m}`))
  let inFlight: Promise<number> | undefined
  let stopped = false

  const purge = (): Promise<number> =>
    (inFlight ??= purgeExpiredIdempotencyKeys(options.db)
      .catch((err: unknown) => {
        log(`purging expired idempotency keys failed: ${err instanceof Error ? err.message : String(err)}`)
        return 0
      })
      .finally(() => {
        inFlight = undefined
      }))

  const task: ScheduledTask = cron.schedule(
    IDEMPOTENCY_PURGE_SCHEDULE,
    async () => {
      if (!stopped) await purge()
    },
    { name: 'mqdeck-idempotency-purge', noOverlap: true },
  )

  const job: IdempotencyPurgeJob = {
    runOnce: purge,
    async stop() {
      stopped = true
      await task.destroy()
      await inFlight
      if (g.__mqdeckIdempotencyPurge === job) g.__mqdeckIdempotencyPurge = undefined
    },
  }
  g.__mqdeckIdempotencyPurge = job
  return job
}
