'use client'
// The Transactions page's body: pending half messages (topic, producer group, message id, keys, age, check count,
// next check) in a server-paged DataTable refreshed every few seconds; select one or many and commit or roll
// them back (confirmed, one idempotency key per confirmation, a result per message). Clusters that cannot list
// half messages say why.
import type { ColumnDef } from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { DataTable, pageProps } from '@/app/_components/data-table'
import { SimpleTable } from '@/app/_components/detail-parts'
import { EmptyState } from '@/app/_components/empty-state'
import { formatDuration } from '@/app/_components/format'
import { PartialBanner } from '@/app/_components/partial-banner'
import { Time } from '@/app/_components/time-zone'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { useLiveQuery, useSearchString } from '@/app/_lib/use-live-query'
import type {
  EndTransactionResult,
  EndTransactionsOutcome,
  PendingTransactionRow,
  TransactionsPage,
} from '@/lib/console/transactions'
import { endTransactionsAction } from './actions'

type Action = 'COMMIT' | 'ROLLBACK'

const ACTION_LABEL: Readonly<Record<Action, string>> = { COMMIT: 'Commit', ROLLBACK: 'Roll back' }

interface Done {
  readonly outcome: EndTransactionsOutcome
  readonly replayed: boolean
  readonly auditId: number
}

export function TransactionsView(props: {
  cluster: string
  initial: TransactionsPage | undefined
  initialError: string | undefined
  initialSearch: string
  canOperate: boolean
}) {
  const apiBase = `/api/c/${encodeURIComponent(props.cluster)}/transactions`
  const search = useSearchString()
  const query = useLiveQuery<TransactionsPage>({
    url: `${apiBase}${search}`,
    initial: props.initial ? { url: `${apiBase}${props.initialSearch}`, data: props.initial } : undefined,
  })
  const data = query.data ?? props.initial
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [confirming, setConfirming] = useState<
    { action: Action; key: string; msgIds: string[] } | undefined
  >()
  const [pending, setPending] = useState(false)
  const [done, setDone] = useState<Done | undefined>()
  const [error, setError] = useState<string | undefined>()

  const rows = useMemo(() => (data?.supported ? data.page.rows : []), [data])
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.msgId))

  function toggle(msgId: string) {
    setSelected((prev) => {
      const next = new Set(prev)
      if (next.has(msgId)) next.delete(msgId)
      else next.add(msgId)
      return next
    })
    setConfirming(undefined)
  }

  function toggleAll() {
    setSelected((prev) => {
      const next = new Set(prev)
      for (const r of rows) {
        if (allOnPage) next.delete(r.msgId)
        else next.add(r.msgId)
      }
      return next
    })
    setConfirming(undefined)
  }

  async function confirm() {
    if (!confirming) return
    setPending(true)
    setError(undefined)
    const result = await endTransactionsAction(props.cluster, {
      msgIds: confirming.msgIds,
      action: confirming.action,
      idempotencyKey: confirming.key,
    })
    setPending(false)
    if (!result.ok) {
      // The confirmation stays open with its key: "try again" is the same intent.
      setError(`${result.error.code === 'FORBIDDEN' ? 'Refused' : 'Failed'}: ${result.error.message}`)
      return
    }
    setDone(result.data)
    setConfirming(undefined)
    setSelected(new Set())
    void query.refetch()
  }

  const columns: ColumnDef<PendingTransactionRow>[] = [
    {
      id: 'select',
      header: () =>
        props.canOperate ? (
          <input
            type="checkbox"
            aria-label="Select every half message on this page"
            checked={allOnPage}
            onChange={toggleAll}
            data-testid="transactions-select-all"
          />
        ) : null,
      cell: ({ row }) =>
        props.canOperate ? (
          <input
            type="checkbox"
            aria-label={`Select ${row.original.msgId}`}
            checked={selected.has(row.original.msgId)}
            onChange={() => toggle(row.original.msgId)}
            onClick={(e) => e.stopPropagation()}
            data-testid="transactions-select"
            data-msg-id={row.original.msgId}
          />
        ) : null,
    },
    {
      id: 'topic',
      header: 'Topic',
      enableSorting: true,
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.topic}</span>,
    },
    {
      id: 'producerGroup',
      header: 'Producer group',
      enableSorting: true,
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.producerGroup}</span>,
    },
    {
      id: 'msgId',
      header: 'Message ID',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="font-mono text-xs break-all" title={row.original.uniqKey ?? undefined}>
          {row.original.msgId}
        </span>
      ),
    },
    {
      id: 'keys',
      header: 'Keys',
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.keys.join(' ') || '–'}</span>,
    },
    {
      id: 'age',
      header: 'Age',
      enableSorting: true,
      cell: ({ row }) => (
        <span className="tabular-nums" title="since the producer sent it">
          {formatDuration(row.original.ageMs)} <Time ms={row.original.bornTimestampMs} className="ml-1" />
        </span>
      ),
    },
    {
      id: 'checkTimes',
      header: 'Checks',
      enableSorting: true,
      cell: ({ row }) => <span className="tabular-nums">{row.original.checkTimes}</span>,
    },
    {
      id: 'nextCheck',
      header: 'Next check',
      enableSorting: true,
      cell: ({ row }) => <Time ms={row.original.nextCheckMs} />,
    },
  ]

  return (
    <div className="space-y-4" data-testid="transactions">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">Transactions</h1>
        {data && (
          <UpdatedAgo atMs={data.fetchedAtMs} fetching={query.isFetching} error={query.error?.message} />
        )}
      </div>
      {!data ? (
        <EmptyState title="Half messages could not be read">
          {query.error?.message ?? props.initialError ?? 'Loading…'}
        </EmptyState>
      ) : !data.supported ? (
        <EmptyState title="This cluster cannot list half messages">{data.reason}</EmptyState>
      ) : (
        <>
          <PartialBanner failures={data.failures} />
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {data.page.total} half message{data.page.total === 1 ? '' : 's'} waiting for commit or rollback.
            The broker asks the producer about each one until it answers or the checks run out.
            {!props.canOperate && ' Committing and rolling back needs the operator role.'}
          </p>
          {props.canOperate && (
            <div className="flex flex-wrap items-center gap-2" data-testid="transactions-actions">
              <span className="text-sm text-slate-600 dark:text-slate-400">{selected.size} selected</span>
              {(['COMMIT', 'ROLLBACK'] as const).map((action) => (
                <button
                  key={action}
                  type="button"
                  className={action === 'COMMIT' ? 'control-button' : 'control-button-danger'}
                  disabled={selected.size === 0 || pending}
                  onClick={() => {
                    setError(undefined)
                    setConfirming({ action, key: crypto.randomUUID(), msgIds: [...selected] })
                  }}
                  data-testid={`transactions-${action.toLowerCase()}`}
                >
                  {ACTION_LABEL[action]}
                </button>
              ))}
            </div>
          )}
          {confirming && (
            <div
              role="alertdialog"
              aria-label={`${ACTION_LABEL[confirming.action]} half messages`}
              className="panel flex flex-wrap items-center gap-3"
              data-testid="transactions-confirm"
            >
              <span className="text-sm">
                {ACTION_LABEL[confirming.action]} {confirming.msgIds.length} half message
                {confirming.msgIds.length === 1 ? '' : 's'}?{' '}
                {confirming.action === 'COMMIT'
                  ? 'Consumers will receive them.'
                  : 'They will be discarded and never delivered.'}
              </span>
              <button
                type="button"
                className={
                  confirming.action === 'COMMIT' ? 'control-button-primary' : 'control-button-danger'
                }
                disabled={pending}
                onClick={() => void confirm()}
                data-testid="transactions-confirm-button"
              >
                {pending ? 'Working…' : `Yes, ${ACTION_LABEL[confirming.action].toLowerCase()}`}
              </button>
              <button
                type="button"
                className="control-button"
                disabled={pending}
                onClick={() => setConfirming(undefined)}
              >
                Cancel
              </button>
            </div>
          )}
          {error && (
            <div
              role="alert"
              className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300"
              data-testid="transactions-error"
            >
              {error}
            </div>
          )}
          {done && <EndResults done={done} />}
          <DataTable
            testId="transactions-table"
            columns={columns}
            {...pageProps(data.page)}
            getRowId={(row) => row.msgId}
            filterPlaceholder="Filter topics, producer groups, ids, keys"
            loading={query.isPlaceholderData}
            empty="No half message is waiting."
          />
        </>
      )}
    </div>
  )
}

function EndResults({ done }: { done: Done }) {
  const { outcome } = done
  return (
    <div className="panel space-y-2" data-testid="transactions-result" role="status">
      <p className="text-sm">
        {ACTION_LABEL[outcome.action]}: <strong>{outcome.done}</strong> done
        {outcome.failed > 0 && (
          <>
            , <strong className="text-red-700 dark:text-red-400">{outcome.failed}</strong> not
          </>
        )}
        {done.replayed && ' (already done with this request; showing its result)'}; audit entry #
        {done.auditId}.
      </p>
      <SimpleTable<EndTransactionResult>
        rows={outcome.results}
        rowKey={(r) => r.msgId}
        empty="Nothing was selected."
        columns={[
          { header: 'Message ID', cell: (r) => <span className="font-mono text-xs">{r.msgId}</span> },
          {
            header: 'Result',
            cell: (r) =>
              r.status === 'DONE' ? (
                <span className="text-emerald-700 dark:text-emerald-400">done</span>
              ) : (
                <span className="text-red-700 dark:text-red-400">
                  {r.status}: {r.reason}
                </span>
              ),
          },
        ]}
      />
    </div>
  )
}
