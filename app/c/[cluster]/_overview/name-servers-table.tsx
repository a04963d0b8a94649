// The configured NameServers with reachability and round trip.
import { Badge } from '@/app/_components/badge'
import type { NameServerStatus } from '@/lib/cluster/gateway'

export function NameServersTable(props: {
  nameServers: readonly NameServerStatus[]
  error: string | undefined
}) {
  if (props.nameServers.length === 0)
    return (
      <p className="text-sm text-slate-500 dark:text-slate-400">
        {props.error ? `Unavailable: ${props.error}` : 'No NameServer configured.'}
      </p>
    )
  return (
    <table className="w-full text-sm" data-testid="nameservers-table">
      <thead className="text-left text-xs text-slate-500 uppercase dark:text-slate-400">
        <tr>
          <th scope="col" className="py-1 font-medium">
            Address
          </th>
          <th scope="col" className="py-1 font-medium">
            State
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Latency
          </th>
        </tr>
      </thead>
      <tbody>
        {props.nameServers.map((ns) => (
          <tr key={ns.addr} className="border-t border-slate-100 dark:border-slate-800">
            <td className="py-1.5 font-mono text-xs">{ns.addr}</td>
            <td className="py-1.5">
              {ns.reachable ? (
                <Badge tone="success">reachable</Badge>
              ) : (
                <Badge tone="danger" title={ns.error}>
                  unreachable
                </Badge>
              )}
            </td>
            <td className="py-1.5 text-right tabular-nums">
              {ns.latencyMs === undefined ? '–' : `${ns.latencyMs} ms`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
