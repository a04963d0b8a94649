'use client'
// The "Resend" confirmation: what will be resent (the selected messages, or everything the current time range and
// filters hold), where to (the original topic, or the group's %RETRY% topic) and how fast. The idempotency key is
// made when the dialog opens and kept through retries, so a double submit or a retry is the same intent and the
// server starts one job.
import { useState } from 'react'
import { useTimeZone } from '@/app/_components/time-zone'
import { formatDateTime } from '@/app/_lib/format-time'
import type { AdminForm } from '@/app/c/[cluster]/_admin/admin-form'
import {
  DialogButtons,
  describedBy,
  ErrorBanner,
  errorsOf,
  Field,
  Modal,
  numberOf,
} from '@/app/c/[cluster]/_admin/dialog-parts'
import type { DlqResendTarget, MessageFilter } from '@/lib/cluster/gateway'
import type { DlqResendStarted } from '@/lib/dlq/resend-types'
import { startDlqResendAction } from '../actions'

/** lib/dlq/dlq-schemas.ts DLQ_RATE_PER_SEC_DEFAULT / _MAX (server-only there; the server checks again). */
const RATE_PER_SEC_DEFAULT = 500
const RATE_PER_SEC_MAX = 5_000

/** What the dialog was opened for; fixed for the opening, so a retry asks for exactly the same thing. */
export type ResendScope =
  | { readonly kind: 'selected'; readonly msgIds: readonly string[] }
  | {
      readonly kind: 'range'
      readonly beginMs: number
      readonly endMs: number
      /** The URL had no end: the range ends when the dialog opened. */
      readonly openEnded: boolean
      readonly filter: MessageFilter
      /** Dead messages the brokers count in the range (before filtering), when known. */
      readonly estimate: number | undefined
    }

const TARGETS: readonly { target: DlqResendTarget; label: string; hint: (group: string) => string }[] = [
  {
    target: 'ORIGIN_TOPIC',
    label: 'The original topic',
    hint: () => 'Every consumer group subscribed to that topic receives the message again.',
  },
  {
    target: 'RETRY_TOPIC',
    label: 'The group’s retry topic',
    hint: (group) => `%RETRY%${group}: only ${group} receives it again.`,
  },
]

function filterText(filter: MessageFilter): string {
  const parts = [
    filter.tag !== undefined ? `tag ${filter.tag}` : undefined,
    filter.key !== undefined ? `key ${filter.key}` : undefined,
    filter.property
      ? `property ${filter.property.name}${filter.property.value !== undefined ? `=${filter.property.value}` : ''}`
      : undefined,
    filter.bodyContains !== undefined ? `body containing “${filter.bodyContains}”` : undefined,
  ].filter((p): p is string => p !== undefined)
  return parts.join(', ')
}

function ScopeSummary({ group, scope }: { group: string; scope: ResendScope }) {
  const { zone } = useTimeZone()
  if (scope.kind === 'selected') {
    const n = scope.msgIds.length
    return (
      <p className="text-sm" data-testid="dlq-resend-scope">
        Resend <strong>{n}</strong> selected dead message{n === 1 ? '' : 's'} of <code>%DLQ%{group}</code>.
        Each is published again as a new message; the DLQ copy stays where it is. A message resent before (by
        any batch) is skipped, not sent twice.
      </p>
    )
  }
  const filter = filterText(scope.filter)
  return (
    <p className="text-sm" data-testid="dlq-resend-scope">
      Resend <strong>everything</strong> in <code>%DLQ%{group}</code> stored{' '}
      {scope.beginMs > 0 ? (
        <>
          from <span className="font-mono text-xs">{formatDateTime(scope.beginMs, zone)}</span>{' '}
        </>
      ) : null}
      up to <span className="font-mono text-xs">{formatDateTime(scope.endMs, zone)}</span>
      {scope.openEnded ? ' (now: later dead letters are not included)' : ''}
      {filter ? <>, matching {filter}</> : null}
      {scope.estimate !== undefined && (
        <>
          {' '}
          — {filter ? 'of' : 'about'} <strong>{scope.estimate.toLocaleString('en-US')}</strong> message
          {scope.estimate === 1 ? '' : 's'}
          {filter ? ' in the range, those matching' : ''}
        </>
      )}
      . A message resent before is skipped.
    </p>
  )
}

function ResendForm({
  cluster,
  group,
  scope,
  form,
  onStarted,
}: {
  cluster: string
  group: string
  scope: ResendScope
  form: AdminForm
  onStarted: (started: DlqResendStarted) => void
}) {
  const [target, setTarget] = useState<DlqResendTarget>('ORIGIN_TOPIC')
  const [rate, setRate] = useState(String(RATE_PER_SEC_DEFAULT))
  const selection =
    scope.kind === 'selected'
      ? { msgIds: [...scope.msgIds] }
      : {
          beginMs: scope.beginMs,
          endMs: scope.endMs,
          ...(Object.keys(scope.filter).length > 0 ? { filter: scope.filter } : {}),
        }
  const submit = form.submit(
    (idempotencyKey) =>
      startDlqResendAction(cluster, {
        group,
        selection,
        target,
        ratePerSec: numberOf(rate),
        idempotencyKey,
      }),
    onStarted,
  )
  const rateErrors = errorsOf(form.error, 'ratePerSec')
  const targetErrors = errorsOf(form.error, 'target')
  return (
    <form
      onSubmit={submit}
      className="space-y-4"
      noValidate
      data-idempotency-key={form.dialog.intentKey}
      data-testid="dlq-resend-form"
    >
      <ErrorBanner error={form.error} testId="dlq-resend-error" />
      <ScopeSummary group={group} scope={scope} />
      <fieldset
        className="space-y-2"
        aria-describedby={targetErrors.length > 0 ? 'dlq-target-error' : undefined}
      >
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Send to</legend>
        {TARGETS.map((t) => (
          <label key={t.target} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="dlq-resend-target"
              value={t.target}
              checked={target === t.target}
              onChange={() => setTarget(t.target)}
              className="mt-0.5 h-4 w-4 focus-visible:ring-2 focus-visible:ring-sky-500"
              data-testid={`dlq-resend-target-${t.target === 'ORIGIN_TOPIC' ? 'origin' : 'retry'}`}
            />
            <span>
              {t.label}
              <span className="block text-xs text-slate-500 dark:text-slate-400">{t.hint(group)}</span>
            </span>
          </label>
        ))}
        {targetErrors.length > 0 && (
          <span
            id="dlq-target-error"
            className="block text-xs text-red-700 dark:text-red-400"
            data-field-error
          >
            {targetErrors.join('; ')}
          </span>
        )}
      </fieldset>
      <Field
        id="dlq-resend-rate"
        label="Rate (messages per second)"
        hint={`default ${RATE_PER_SEC_DEFAULT}, at most ${RATE_PER_SEC_MAX.toLocaleString('en-US')}: the brokers also serve live traffic`}
        errors={rateErrors}
      >
        <input
          id="dlq-resend-rate"
          type="number"
          inputMode="numeric"
          min={1}
          max={RATE_PER_SEC_MAX}
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          className="control-input w-32 font-mono"
          data-testid="dlq-resend-rate"
          {...describedBy('dlq-resend-rate', rateErrors)}
        />
      </Field>
      <DialogButtons
        pending={form.pending}
        onCancel={form.dialog.close}
        submitLabel={
          scope.kind === 'selected'
            ? `Resend ${scope.msgIds.length} message${scope.msgIds.length === 1 ? '' : 's'}`
            : 'Resend the range'
        }
        testId="dlq-resend-submit"
      />
    </form>
  )
}

export function ResendDialog(props: {
  cluster: string
  group: string
  scope: ResendScope | undefined
  form: AdminForm
  onStarted: (started: DlqResendStarted) => void
}) {
  const { form, scope } = props
  return (
    <Modal
      open={form.dialog.open && scope !== undefined}
      onClose={form.dialog.close}
      title={`Resend dead messages of ${props.group}`}
      testId="dlq-resend-dialog"
    >
      {scope && (
        // A fresh form per opening (per intent key): nothing typed in an earlier opening carries over.
        <ResendForm key={form.dialog.intentKey} {...props} scope={scope} />
      )}
    </Modal>
  )
}
