// Merging the broker failures of several partial reads into the one list a page's "partial result" banner shows.
import 'server-only'
import type { BrokerFailure } from '@/lib/cluster/gateway'

/** Every failure once (the same broker failing the same way in two reads is one line of the banner). */
export function mergeFailures(...lists: readonly (readonly BrokerFailure[])[]): BrokerFailure[] {
  const seen = new Set<string>()
  const out: BrokerFailure[] = []
  for (const failure of lists.flat()) {
    const key = `${failure.broker}\u0000${failure.reason}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(failure)
  }
  return out
}
