'use client'
// The queues one member holds, as the client itself reports them (GET_CONSUMER_RUNNING_INFO relayed by a broker):
// asked on demand for the member the operator picks, because every answer is a round trip to that client.
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { SimpleTable } from '@/app/_components/detail-parts'
import { formatInteger } from '@/app/_components/format'
import { Time } from '@/app/_components/time-zone'
import { fetchJson } from '@/app/_lib/fetch-json'
import type { ConsumerMember, ConsumerQueueHolding } from '@/lib/cluster/gateway'
import type { MemberRunningInfo } from '@/lib/console/group-member'

export function MemberQueues({
  cluster,
  group,
  members,
}: {
  cluster: string
  group: string
  members: readonly ConsumerMember[]
}) {
  const [clientId, setClientId] = useState<string | undefined>(undefined)
  const url =
    clientId === undefined
      ? undefined
      : `/api/c/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(clientId)}`
  const query = useQuery({
    queryKey: ['member-queues', url],
    queryFn: () => fetchJson<MemberRunningInfo>(url!),
    enabled: url !== undefined,
  })
  if (members.length === 0) return <p className="text-sm text-slate-500">No member is online.</p>
  const info = query.data?.info
  return (
    <div className="space-y-2" data-testid="member-queues">
      <div className="flex flex-wrap items-center gap-2">
        {members.map((m) => (
          <button
            key={m.clientId}
            type="button"
            className={`control-button font-mono text-xs ${m.clientId === clientId ? 'control-button-primary' : ''}`}
            aria-pressed={m.clientId === clientId}
            onClick={() => setClientId(m.clientId)}
          >
            {m.clientId}
          </button>
        ))}
      </div>
      {clientId === undefined && (
        <p className="text-sm text-slate-500">Pick a member to ask which queues it holds.</p>
      )}
      {query.isFetching && <p className="text-sm text-slate-500">Asking {clientId}…</p>}
      {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
      {info && !info.supported && (
        <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="member-queues-unsupported">
          {info.reason}
        </p>
      )}
      {info?.supported && (
        <SimpleTable<ConsumerQueueHolding>
          testId="member-queues-table"
          rows={info.value.queues}
          rowKey={(q) => `${q.topic}\u0000${q.brokerName}\u0000${q.queueId}`}
          empty="The member holds no queue."
          columns={[
            { header: 'Topic', cell: (q) => <span className="font-mono text-xs">{q.topic}</span> },
            { header: 'Broker', cell: (q) => q.brokerName },
            { header: 'Queue', numeric: true, cell: (q) => q.queueId },
            { header: 'Commit offset', numeric: true, cell: (q) => formatInteger(q.commitOffset) },
            { header: 'Cached', numeric: true, cell: (q) => formatInteger(q.cachedMsgCount) },
            { header: 'Locked', cell: (q) => (q.locked ? 'yes' : 'no') },
            { header: 'Last pull', cell: (q) => <Time ms={q.lastPullTimestampMs} /> },
            { header: 'Last consume', cell: (q) => <Time ms={q.lastConsumeTimestampMs} /> },
          ]}
        />
      )}
    </div>
  )
}
