'use client'
// "updated 3 s ago" next to live data, ticking each second, so a stale view (a cached snapshot, a failing
// refresh) is visible instead of silently old.
import { useNow } from '@/app/_lib/use-now'

export interface UpdatedAgoProps {
  /** When the shown data was read from the cluster (epoch ms). */
  readonly atMs: number
  /** A refresh is in flight. */
  readonly fetching?: boolean
  /** The last refresh failed with this message (the data shown is older). */
  readonly error?: string | undefined
}

export function formatAgo(ageMs: number): string {
  const seconds = Math.max(0, Math.round(ageMs / 1000))
  if (seconds < 120) return `${seconds} s ago`
  const minutes = Math.round(seconds / 60)
  if (minutes < 120) return `${minutes} min ago`
  return `${Math.round(minutes / 60)} h ago`
}

export function UpdatedAgo({ atMs, fetching = false, error }: UpdatedAgoProps) {
  const nowMs = useNow(1000)
  return (
    <span
      className="inline-flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400"
      data-testid="updated-ago"
    >
      <span
        aria-hidden
        className={`inline-block size-2 rounded-full ${error ? 'bg-red-500' : fetching ? 'animate-pulse bg-sky-500' : 'bg-emerald-500'}`}
      />
      {/* Server and browser clocks differ by the render delay: the text is expected to change on hydration. */}
      <span suppressHydrationWarning>updated {formatAgo(nowMs - atMs)}</span>
      {error && <span className="text-red-600 dark:text-red-400">· refresh failed: {error}</span>}
    </span>
  )
}
