'use client'
// A page of a cluster failed to render (its cluster unreachable, an unexpected error): say so in the console's
// frame with a retry, instead of Next's bare error page. Next passes only a digest in production, never a stack.
import { useEffect } from 'react'

export default function ClusterPageError({
  error,
  reset,
}: {
  error: Error & { digest?: string }
  reset: () => void
}) {
  useEffect(() => {
    console.error('[mqdeck] page failed', error.digest ?? error.message)
  }, [error])
  return (
    <div className="panel space-y-3" role="alert" data-testid="page-error">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The cluster may be unreachable or a broker did not answer in time. The console keeps working for other
        clusters; try again in a moment.
        {error.digest ? <span className="ml-1 font-mono text-xs">(reference {error.digest})</span> : null}
      </p>
      <button type="button" className="control-button control-button-primary" onClick={reset}>
        Try again
      </button>
    </div>
  )
}
