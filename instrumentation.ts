// Runs once when the Next server starts: opens the embedded engine (Node runtime only, never on the edge) and
// turns audit rows left PENDING by a previous process into UNKNOWN.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  // `next build` may load instrumentation while collecting page data; the engine belongs to the server only.
  if (process.env.NEXT_PHASE === 'phase-production-build') return
  const { startEmbeddedEngine } = await import('./lib/engine/embedded-engine')
  const { markStalePendingUnknown } = await import('./lib/audit/mark-stale-pending-unknown')
  await startEmbeddedEngine()
  try {
    const stale = await markStalePendingUnknown()
    if (stale > 0)
      console.warn(`[mqdeck] ${stale} audit row(s) left PENDING by a previous run are now UNKNOWN`)
  } catch (err) {
    console.error('[mqdeck] could not review PENDING audit rows (is the database migrated?)', err)
  }
}
