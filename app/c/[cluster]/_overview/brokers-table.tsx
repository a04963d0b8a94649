'use client'
// The Overview's brokers: one row per broker instance with role, address, version, heartbeat age (ticking from the
// snapshot's time), flush type, disk use and TPS. Few rows (one per broker), so a plain table.
import { Badge } from '@/app/_components/badge'
import { Time } from '@/app/_components/time-zone'
import { formatDuration, formatInteger, formatRate } from '@/app/_components/format'
import { useNow } from '@/app/_lib/use-now'
import { DISK_RATIO_WARN_PERCENT, HEARTBEAT_SILENT_SEC } from './thresholds'
import type { BrokerRow } from '@/lib/console/overview'

const HEADERS = [
  'Broker',
  'ID',
  'Role',
  'Address',
  'Version',
  'Heartbeat',
  'Flush',
  'Disk',
  'Put TPS',
  'Get TPS',
  'Today put / get',
]

export function BrokersTable(props: {
  brokers: readonly BrokerRow[]
  fetchedAtMs: number
  error: string | undefined
}) {
  const nowMs = useNow(1000)
  if (props.brokers.length === 0)
    return (
      <p className="text-sm text-slate-500 dark:text-slate-400">
        {props.error ? `Unavailable: ${props.error}` : 'No broker is registered with the NameServers.'}
      </p>
    )
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="brokers-table">
        <thead className="text-left text-xs text-slate-500 uppercase dark:text-slate-400">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-2 py-1 font-medium whitespace-nowrap">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.brokers.map((b) => {
            const heartbeatAgeMs =
              b.heartbeatAgeMs === undefined
                ? undefined
                : b.heartbeatAgeMs + Math.max(0, nowMs - props.fetchedAtMs)
            const diskPercent = b.diskRatio === undefined ? undefined : b.diskRatio * 100
            return (
              <tr
                key={`${b.brokerName}#${b.brokerId}`}
                className="border-t border-slate-100 dark:border-slate-800"
                data-broker={b.brokerName}
              >
                <td className="px-2 py-1.5 font-medium whitespace-nowrap">
                  {b.brokerName}
                  {!b.answered && (
                    <span className="ml-2">
                      <Badge tone="danger" title="The broker did not answer the runtime-info request">
                        silent
                      </Badge>
                    </span>
                  )}
                </td>
                <td className="px-2 py-1.5 tabular-nums">{b.brokerId}</td>
                <td className="px-2 py-1.5">
                  <Badge tone={b.role === 'MASTER' ? 'info' : 'neutral'} title={b.brokerRole}>
                    {b.brokerRole ?? b.role}
                  </Badge>
                </td>
                <td className="px-2 py-1.5 font-mono text-xs">{b.addr}</td>
                <td className="px-2 py-1.5 font-mono text-xs">
                  {b.version ?? '–'}
                  {b.bootTimestampMs !== undefined && (
                    <div className="font-sans text-slate-500 dark:text-slate-400">
                      started <Time ms={b.bootTimestampMs} />
                    </div>
                  )}
                </td>
                <td
                  className={`px-2 py-1.5 tabular-nums ${
                    heartbeatAgeMs !== undefined && heartbeatAgeMs > HEARTBEAT_SILENT_SEC * 1000
                      ? 'text-red-700 dark:text-red-400'
                      : ''
                  }`}
                  title={
                    heartbeatAgeMs === undefined
                      ? 'Remote NameServers do not report heartbeat times'
                      : undefined
                  }
                  suppressHydrationWarning
                >
                  {heartbeatAgeMs === undefined ? 'n/a' : `${formatDuration(heartbeatAgeMs)} ago`}
                </td>
                <td className="px-2 py-1.5 text-xs">{b.flushDiskType ?? '–'}</td>
                <td className="px-2 py-1.5">
                  {diskPercent === undefined ? (
                    '–'
                  ) : (
                    <span
                      className="flex items-center gap-2"
                      title={`${diskPercent.toFixed(1)}% of the CommitLog disk used`}
                    >
                      <span className="h-2 w-16 rounded bg-slate-100 dark:bg-slate-800" aria-hidden>
                        <span
                          className={`block h-2 rounded ${diskPercent > DISK_RATIO_WARN_PERCENT ? 'bg-red-500' : 'bg-emerald-500'}`}
                          style={{ width: `${Math.min(100, diskPercent)}%` }}
                        />
                      </span>
                      <span className="tabular-nums">{diskPercent.toFixed(1)}%</span>
                    </span>
                  )}
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">
                  {b.putTps === undefined ? '–' : formatRate(b.putTps)}
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">
                  {b.getTps === undefined ? '–' : formatRate(b.getTps)}
                </td>
                <td className="px-2 py-1.5 text-right text-xs whitespace-nowrap tabular-nums">
                  {b.msgPutTotalTodayNow === undefined
                    ? '–'
                    : `${formatInteger(b.msgPutTotalTodayNow)} / ${formatInteger(b.msgGetTotalTodayNow ?? 0)}`}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
