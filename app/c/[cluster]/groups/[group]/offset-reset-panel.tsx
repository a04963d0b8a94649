'use client'
// The group page's "Reset offsets" panel: pick a topic and a target (a time in the chosen zone, earliest, latest
// or explicit per-queue offsets), preview per queue what changes and how many messages that skips or replays,
// then apply exactly that (Apply is enabled only after a preview of the same inputs). One idempotency key per
// opening of the panel: a double click or a retry of the same reset applies it once.
import { useState } from 'react'
import { Badge } from '@/app/_components/badge'
import { SimpleTable } from '@/app/_components/detail-parts'
import { formatInteger } from '@/app/_components/format'
import { PartialBanner } from '@/app/_components/partial-banner'
import { useTimeZone } from '@/app/_components/time-zone'
import { msToWallClock, wallClockToMs } from '@/app/c/[cluster]/messages/_lib/zoned-input'
import type {
  OffsetResetOutcome,
  OffsetResetPreview,
  OffsetResetRequest,
  OffsetResetTarget,
  PartialResult,
  QueueOffsetChange,
} from '@/lib/cluster/gateway'
import { applyOffsetResetAction, previewOffsetResetAction } from './offset-reset-actions'

type TargetKind = OffsetResetTarget['kind']

const TARGETS: readonly { kind: TargetKind; label: string }[] = [
  { kind: 'TIMESTAMP', label: 'Time' },
  { kind: 'EARLIEST', label: 'Earliest' },
  { kind: 'LATEST', label: 'Latest' },
  { kind: 'EXPLICIT', label: 'Explicit offsets' },
]

interface ShownError {
  readonly code: string
  readonly message: string
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>
}

interface Applied {
  readonly outcome: PartialResult<OffsetResetOutcome>
  readonly replayed: boolean
  readonly auditId: number
}

const queueKey = (q: { brokerName: string; queueId: number }) => `${q.brokerName}:${q.queueId}`

function newKey(): string {
  return crypto.randomUUID()
}

export function OffsetResetPanel({
  cluster,
  group,
  topics,
  online,
}: {
  cluster: string
  group: string
  topics: readonly string[]
  online: boolean
}) {
  const [open, setOpen] = useState(false)
  if (!open) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className="control-button"
          data-testid="offset-reset-open"
          disabled={topics.length === 0}
          onClick={() => setOpen(true)}
        >
          Reset offsets…
        </button>
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {topics.length === 0
            ? 'The group has no topic to reset.'
            : 'Move the group to a time, the earliest or latest message, or chosen offsets; preview first.'}
        </span>
      </div>
    )
  }
  // Mounted afresh on each opening: a new idempotency key per intent.
  return (
    <OffsetResetForm
      cluster={cluster}
      group={group}
      topics={topics}
      online={online}
      onClose={() => setOpen(false)}
    />
  )
}

function OffsetResetForm({
  cluster,
  group,
  topics,
  online,
  onClose,
}: {
  cluster: string
  group: string
  topics: readonly string[]
  online: boolean
  onClose: () => void
}) {
  const { zone } = useTimeZone()
  const [idempotencyKey, setIdempotencyKey] = useState(newKey)
  const [topic, setTopic] = useState(topics[0] ?? '')
  const [kind, setKind] = useState<TargetKind>('TIMESTAMP')
  const [timeText, setTimeText] = useState(() => msToWallClock(Date.now() - 60 * 60 * 1000, zone))
  /** Explicit offsets as typed, per "broker:queue". */
  const [explicit, setExplicit] = useState<Record<string, string>>({})
  /** The topic's queues for the explicit table (read with a preview of EARLIEST). */
  const [queues, setQueues] = useState<{ topic: string; rows: readonly QueueOffsetChange[] } | undefined>()
  const [preview, setPreview] = useState<
    { key: string; result: PartialResult<OffsetResetPreview> } | undefined
  >()
  const [applied, setApplied] = useState<Applied | undefined>()
  const [error, setError] = useState<ShownError | undefined>()
  const [pending, setPending] = useState<'preview' | 'apply' | 'queues' | undefined>()

  // The explicit table needs the topic's queues and the group's current offsets: read when asked for.
  async function loadQueues(forTopic: string) {
    if (forTopic === '' || queues?.topic === forTopic) return
    setPending('queues')
    const result = await previewOffsetResetAction(cluster, {
      group,
      topic: forTopic,
      target: { kind: 'EARLIEST' },
    })
    setPending(undefined)
    if (!result.ok) {
      setError(result.error)
      return
    }
    setQueues({ topic: forTopic, rows: result.data.data.queues })
    setExplicit(
      Object.fromEntries(result.data.data.queues.map((q) => [queueKey(q), String(q.currentOffset)])),
    )
  }

  function chooseTopic(next: string) {
    setTopic(next)
    if (kind === 'EXPLICIT') void loadQueues(next)
  }

  function chooseKind(next: TargetKind) {
    setKind(next)
    if (next === 'EXPLICIT') void loadQueues(topic)
  }

  const built = buildRequest({ group, topic, kind, timeText, zone, queues, explicit })
  const requestKey = 'request' in built ? JSON.stringify(built.request) : undefined
  const previewIsCurrent = preview !== undefined && preview.key === requestKey
  const appliedThis = applied !== undefined && previewIsCurrent

  async function runPreview() {
    if (!('request' in built)) return
    setPending('preview')
    setError(undefined)
    const result = await previewOffsetResetAction(cluster, built.request)
    setPending(undefined)
    if (!result.ok) {
      setError(result.error)
      setPreview(undefined)
      return
    }
    // A reset already applied from this panel was one intent; previewing something new starts another.
    if (applied) {
      setApplied(undefined)
      setIdempotencyKey(newKey())
    }
    setPreview({ key: JSON.stringify(built.request), result: result.data })
  }

  async function runApply() {
    if (!('request' in built) || !previewIsCurrent) return
    setPending('apply')
    setError(undefined)
    const result = await applyOffsetResetAction(cluster, { ...built.request, idempotencyKey })
    setPending(undefined)
    if (!result.ok) {
      setError(result.error)
      return
    }
    setApplied(result.data)
  }

  return (
    <div
      className="panel space-y-4"
      role="region"
      aria-label={`Reset offsets of ${group}`}
      data-testid="offset-reset-panel"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="panel-title mb-0">Reset offsets of {group}</p>
        <div className="flex items-center gap-2">
          {online ? (
            <Badge tone="success">consumer online</Badge>
          ) : (
            <Badge tone="neutral">consumer offline</Badge>
          )}
          <button type="button" className="control-button" onClick={onClose} data-testid="offset-reset-close">
            Close
          </button>
        </div>
      </div>

      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-400">
          Topic
          <select
            className="control-input"
            value={topic}
            onChange={(e) => chooseTopic(e.target.value)}
            data-testid="offset-reset-topic"
          >
            {topics.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-xs text-slate-600 dark:text-slate-400">Reset to</legend>
          <div className="flex flex-wrap gap-3">
            {TARGETS.map((t) => (
              <label key={t.kind} className="flex items-center gap-1 text-sm">
                <input
                  type="radio"
                  name="offset-reset-target"
                  value={t.kind}
                  checked={kind === t.kind}
                  onChange={() => chooseKind(t.kind)}
                  className="focus-visible:ring-2 focus-visible:ring-sky-500"
                  data-testid={`offset-reset-target-${t.kind.toLowerCase()}`}
                />
                {t.label}
              </label>
            ))}
          </div>
        </fieldset>
        {kind === 'TIMESTAMP' && (
          <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-400">
            Time ({zone})
            <input
              type="datetime-local"
              step={1}
              className="control-input"
              value={timeText}
              onChange={(e) => setTimeText(e.target.value)}
              data-testid="offset-reset-time"
            />
          </label>
        )}
      </div>

      {kind === 'TIMESTAMP' && (
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Each queue moves to the first message stored at or after this time.
        </p>
      )}
      {kind === 'EXPLICIT' && (
        <ExplicitOffsets
          rows={queues?.topic === topic ? queues.rows : undefined}
          values={explicit}
          onChange={(key, value) => setExplicit((prev) => ({ ...prev, [key]: value }))}
          online={online}
        />
      )}

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className="control-button"
          disabled={!('request' in built) || pending !== undefined}
          onClick={() => void runPreview()}
          data-testid="offset-reset-preview"
        >
          {pending === 'preview' ? 'Previewing…' : 'Preview'}
        </button>
        <button
          type="button"
          className="control-button-primary"
          disabled={!previewIsCurrent || pending !== undefined || appliedThis}
          onClick={() => void runApply()}
          data-testid="offset-reset-apply"
          title={previewIsCurrent ? undefined : 'Preview these inputs first'}
        >
          {pending === 'apply' ? 'Applying…' : 'Apply'}
        </button>
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {'problem' in built
            ? built.problem
            : previewIsCurrent
              ? appliedThis
                ? 'Applied. Change the inputs and preview again for another reset.'
                : 'Apply changes exactly what the preview shows.'
              : 'Preview these inputs to enable Apply.'}
        </span>
      </div>

      {error && (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300"
          data-testid="offset-reset-error"
        >
          <span className="font-medium">{error.code === 'FORBIDDEN' ? 'Refused' : 'Failed'}:</span>{' '}
          {error.message}
          {Object.entries(error.fieldErrors).map(([field, messages]) => (
            <div key={field} className="text-xs">
              {field}: {messages.join('; ')}
            </div>
          ))}
        </div>
      )}

      {preview && previewIsCurrent && !appliedThis && <PreviewTable preview={preview.result} />}
      {applied && appliedThis && <AppliedResult applied={applied} />}
    </div>
  )
}

/** The request the inputs describe, or what is missing. */
function buildRequest(inputs: {
  group: string
  topic: string
  kind: TargetKind
  timeText: string
  zone: string
  queues: { topic: string; rows: readonly QueueOffsetChange[] } | undefined
  explicit: Readonly<Record<string, string>>
}): { request: OffsetResetRequest } | { problem: string } {
  const { group, topic, kind, queues, explicit } = inputs
  if (topic === '') return { problem: 'choose a topic' }
  switch (kind) {
    case 'EARLIEST':
    case 'LATEST':
      return { request: { group, topic, target: { kind } } }
    case 'TIMESTAMP': {
      const timestampMs = wallClockToMs(inputs.timeText, inputs.zone)
      if (timestampMs === undefined) return { problem: 'enter a time' }
      return { request: { group, topic, target: { kind, timestampMs } } }
    }
    case 'EXPLICIT': {
      if (queues?.topic !== topic) return { problem: 'loading the queues…' }
      const offsets = []
      for (const q of queues.rows) {
        const text = (explicit[queueKey(q)] ?? '').trim()
        if (text === '') continue
        if (!/^\d{1,15}$/.test(text)) return { problem: `queue ${q.brokerName}/${q.queueId}: not an offset` }
        offsets.push({ brokerName: q.brokerName, queueId: q.queueId, queueOffset: Number(text) })
      }
      if (offsets.length === 0) return { problem: 'enter at least one offset' }
      return { request: { group, topic, target: { kind, offsets } } }
    }
  }
}

function ExplicitOffsets({
  rows,
  values,
  onChange,
  online,
}: {
  rows: readonly QueueOffsetChange[] | undefined
  values: Readonly<Record<string, string>>
  onChange: (key: string, value: string) => void
  online: boolean
}) {
  if (!rows) return <p className="text-sm text-slate-500">Loading the topic’s queues…</p>
  return (
    <div className="space-y-2" data-testid="offset-reset-explicit">
      {online && (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The group is online: explicit offsets are refused until its consumers stop (they would overwrite
          them).
        </p>
      )}
      <SimpleTable<QueueOffsetChange>
        rows={rows}
        rowKey={queueKey}
        empty="The topic has no queues."
        columns={[
          { header: 'Broker', cell: (q) => <span className="font-mono text-xs">{q.brokerName}</span> },
          { header: 'Queue', numeric: true, cell: (q) => q.queueId },
          { header: 'Min', numeric: true, cell: (q) => formatInteger(q.minOffset) },
          { header: 'Max', numeric: true, cell: (q) => formatInteger(q.maxOffset) },
          { header: 'Current', numeric: true, cell: (q) => formatInteger(q.currentOffset) },
          {
            header: 'New offset',
            cell: (q) => (
              <input
                type="text"
                inputMode="numeric"
                aria-label={`New offset of ${q.brokerName} queue ${q.queueId}`}
                className="control-input w-28 text-right tabular-nums"
                value={values[queueKey(q)] ?? ''}
                onChange={(e) => onChange(queueKey(q), e.target.value)}
                data-testid={`offset-reset-explicit-${q.brokerName}-${q.queueId}`}
              />
            ),
          },
        ]}
      />
    </div>
  )
}

const CHANGE_COLUMNS = [
  {
    header: 'Broker',
    cell: (q: QueueOffsetChange) => <span className="font-mono text-xs">{q.brokerName}</span>,
  },
  { header: 'Queue', numeric: true, cell: (q: QueueOffsetChange) => q.queueId },
  {
    header: 'Current → new',
    numeric: true,
    cell: (q: QueueOffsetChange) => (
      <span className="tabular-nums">
        {formatInteger(q.currentOffset)} → <strong>{formatInteger(q.newOffset)}</strong>
        {q.clamped && (
          <span className="ml-1">
            <Badge tone="warning" title="Outside [min, max]: moved to the nearest end">
              clamped
            </Badge>
          </span>
        )}
      </span>
    ),
  },
  { header: 'Min', numeric: true, cell: (q: QueueOffsetChange) => formatInteger(q.minOffset) },
  { header: 'Max', numeric: true, cell: (q: QueueOffsetChange) => formatInteger(q.maxOffset) },
  {
    header: 'Skipped',
    numeric: true,
    cell: (q: QueueOffsetChange) => (q.skipped > 0 ? formatInteger(q.skipped) : '–'),
  },
  {
    header: 'Replayed',
    numeric: true,
    cell: (q: QueueOffsetChange) => (q.replayed > 0 ? formatInteger(q.replayed) : '–'),
  },
]

function PreviewTable({ preview }: { preview: PartialResult<OffsetResetPreview> }) {
  const p = preview.data
  return (
    <div className="space-y-2" data-testid="offset-reset-preview-table">
      <PartialBanner failures={preview.failures} />
      <p className="text-sm" data-testid="offset-reset-totals">
        Preview: <strong>{formatInteger(p.skippedTotal)}</strong> message{p.skippedTotal === 1 ? '' : 's'}{' '}
        skipped, <strong>{formatInteger(p.replayedTotal)}</strong> replayed over {p.queues.length} queue
        {p.queues.length === 1 ? '' : 's'};{' '}
        {p.consumerOnline ? (
          <Badge tone="success">consumer online</Badge>
        ) : (
          <Badge tone="neutral">consumer offline</Badge>
        )}
      </p>
      <SimpleTable<QueueOffsetChange>
        rows={p.queues}
        rowKey={queueKey}
        empty="No queue changes."
        columns={CHANGE_COLUMNS}
      />
    </div>
  )
}

function AppliedResult({ applied }: { applied: Applied }) {
  const outcome = applied.outcome.data
  if (outcome.status === 'REFUSED') {
    return (
      <div
        role="alert"
        className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        data-testid="offset-reset-result"
        data-status="REFUSED"
      >
        <span className="font-medium">Refused by the cluster:</span> {outcome.reason}
      </div>
    )
  }
  return (
    <div className="space-y-2" data-testid="offset-reset-result" data-status="APPLIED">
      <PartialBanner failures={applied.outcome.failures} />
      <p className="text-sm text-emerald-800 dark:text-emerald-300" role="status">
        {applied.replayed ? 'Already applied with this request; showing its result. ' : 'Applied. '}
        {outcome.queues.length} queue{outcome.queues.length === 1 ? '' : 's'} moved (
        {outcome.method === 'BROKER_RESET' ? 'through the broker' : 'stored offsets overwritten'}); audit
        entry #{applied.auditId}.
      </p>
      <SimpleTable<QueueOffsetChange>
        rows={outcome.queues}
        rowKey={queueKey}
        empty="No queue was changed."
        columns={CHANGE_COLUMNS}
      />
    </div>
  )
}
