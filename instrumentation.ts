// Runs once when the Next server starts (Node runtime only, never on the edge): opens the embedded engine, puts a
// SQLite database in WAL mode, turns audit rows and idempotency keys left PENDING by a previous process into
// UNKNOWN, starts the demo workload (unless MQDECK_DEMO=0), the metrics jobs and the hourly purge of expired idempotency keys. The demo and the
// jobs stop before the engine closes on SIGTERM/SIGINT.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  // `next build` may load instrumentation while collecting page data; the engine belongs to the server only.
  if (process.env.NEXT_PHASE === 'phase-production-build') return
  const { onEngineStopping, startEmbeddedEngine } = await import('./lib/engine/embedded-engine')
  const { markStalePendingUnknown } = await import('./lib/audit/mark-stale-pending-unknown')
  const cluster = await startEmbeddedEngine()
  const { prepareDatabase } = await import('./lib/db')
  // SQLite in WAL mode: commits cost one fsync and the pages' reads never wait for a writer.
  await prepareDatabase().catch((err: unknown) =>
    console.error('[mqdeck] could not switch the SQLite database to WAL mode', err),
  )
  try {
    const stale = await markStalePendingUnknown()
    if (stale > 0)
      console.warn(`[mqdeck] ${stale} audit row(s) left PENDING by a previous run are now UNKNOWN`)
  } catch (err) {
    console.error('[mqdeck] could not review PENDING audit rows (is the database migrated?)', err)
  }
  // No accounts yet: create `admin` (MQDECK_ADMIN_PASSWORD, or a generated password printed once).
  const { bootstrapAdmin } = await import('./lib/auth/bootstrap-admin')
  await bootstrapAdmin().catch((err: unknown) =>
    console.error('[mqdeck] could not create the first admin', err),
  )

  const { demoEnabled, startDemoWorkload, stopDemoWorkloads } = await import('./lib/demo/demo-workload')
  if (demoEnabled()) {
    try {
      await startDemoWorkload({ cluster, log: (m) => console.warn(`[mqdeck demo] ${m}`) })
      onEngineStopping(stopDemoWorkloads)
      console.log(
        '[mqdeck] demo workload running (order, payment, points, inventory services); MQDECK_DEMO=0 turns it off',
      )
    } catch (err) {
      console.error('[mqdeck] the demo workload did not start', err)
    }
  }

  const { startMetricsJobs } = await import('./lib/jobs/metrics-jobs')
  const { getGateway, listClusterConnections } = await import('./lib/cluster/registry')
  const jobs = startMetricsJobs({
    // A connection whose gateway cannot be built is left out of this pass; the others still sample.
    clusters: async () => {
      const settled = await Promise.allSettled(
        (await listClusterConnections()).map(async (c) => ({ id: c.id, gateway: await getGateway(c.id) })),
      )
      return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    },
    log: (m) => console.warn(`[mqdeck metrics] ${m}`),
  })
  onEngineStopping(() => jobs.stop())

  const { startIdempotencyPurgeJob } = await import('./lib/jobs/idempotency-purge-job')
  const purge = startIdempotencyPurgeJob()
  onEngineStopping(() => purge.stop())
}
