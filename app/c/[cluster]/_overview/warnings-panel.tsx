// The Overview's warnings, most urgent kinds first: silent brokers, unreachable NameServers, full disks, growing
// lag and growing DLQs.
import type { OverviewWarning, WarningKind } from '@/lib/console/overview'

const KIND_ORDER: readonly WarningKind[] = [
  'BROKER_SILENT',
  'NAMESERVER_DOWN',
  'DISK_HIGH',
  'LAG_GROWING',
  'DLQ_GROWING',
]
const KIND_LABEL: Readonly<Record<WarningKind, string>> = {
  BROKER_SILENT: 'Broker silent',
  NAMESERVER_DOWN: 'NameServer down',
  DISK_HIGH: 'Disk above 85%',
  LAG_GROWING: 'Lag growing',
  DLQ_GROWING: 'DLQ growing',
}

export function WarningsPanel({ warnings }: { warnings: readonly OverviewWarning[] }) {
  if (warnings.length === 0)
    return (
      <p className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="overview-warnings">
        ✓ No warnings: every broker answers, disks are below 85%, no lag or DLQ is growing.
      </p>
    )
  const sorted = [...warnings].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
  return (
    <section
      aria-label="Warnings"
      data-testid="overview-warnings"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 dark:border-amber-700 dark:bg-amber-950"
    >
      <h2 className="text-sm font-semibold text-amber-900 dark:text-amber-200">
        {warnings.length} warning{warnings.length === 1 ? '' : 's'}
      </h2>
      <ul className="mt-1 space-y-0.5 text-sm text-amber-900 dark:text-amber-100">
        {sorted.map((w, index) => (
          <li key={`${w.kind}-${w.subject}-${index}`} data-warning-kind={w.kind}>
            <span className="font-medium">{KIND_LABEL[w.kind]}:</span> {w.message}
          </li>
        ))}
      </ul>
    </section>
  )
}
