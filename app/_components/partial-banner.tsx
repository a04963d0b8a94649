// The "partial result" banner: the page shows what the answering brokers said and names the ones that did not.
import type { BrokerFailure } from '@/lib/cluster/gateway'

export function PartialBanner({ failures }: { failures: readonly BrokerFailure[] | undefined }) {
  if (!failures || failures.length === 0) return null
  return (
    <div
      role="status"
      data-testid="partial-banner"
      className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
    >
      <span className="font-semibold">Partial result:</span>{' '}
      {failures.map((failure, index) => (
        <span key={`${failure.broker}-${index}`}>
          {index > 0 && '; '}
          <span className="font-mono">{failure.broker}</span> did not answer ({failure.reason})
        </span>
      ))}
    </div>
  )
}
