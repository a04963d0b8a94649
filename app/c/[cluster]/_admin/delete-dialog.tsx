'use client'
// The delete dialog topics and groups share: it reads the impact when it opens, asks for the name typed again
// (the server checks it too) and goes back to the list when the delete is done.
import { useRouter } from 'next/navigation'
import { useState, type ReactNode } from 'react'
import type { ActionError, ActionResult } from '@/app/action-result'
import type { BrokerFailure } from '@/lib/cluster/gateway'
import { AdminDialog, TextField, useAdminForm } from './admin-form'
import { ErrorBanner, errorsOf } from './dialog-parts'

export function DeleteDialog<I>({
  kind,
  name,
  loadImpact,
  renderImpact,
  remove,
  listPath,
  onOpen,
  children,
}: {
  /** Names the test ids (`delete-<kind>`, `delete-<kind>-confirm`, ...) and the submit label. */
  kind: 'topic' | 'group'
  name: string
  loadImpact: () => Promise<ActionResult<I>>
  renderImpact: (impact: I) => ReactNode
  remove: (input: { idempotencyKey: string; confirm: string }) => Promise<ActionResult<unknown>>
  /** Where to go after the delete. */
  listPath: string
  /** Resets the options in `children` on each opening. */
  onOpen?: () => void
  /** Options shown between the impact and the confirmation. */
  children?: ReactNode
}) {
  const form = useAdminForm()
  const router = useRouter()
  const [impact, setImpact] = useState<I>()
  const [impactError, setImpactError] = useState<ActionError>()
  const [confirm, setConfirm] = useState('')
  const testId = `delete-${kind}`
  const open = () => {
    setImpact(undefined)
    setImpactError(undefined)
    setConfirm('')
    onOpen?.()
    void loadImpact().then((result) => (result.ok ? setImpact(result.data) : setImpactError(result.error)))
  }
  const submit = form.submit(
    (idempotencyKey) => remove({ idempotencyKey, confirm }),
    () => {
      form.dialog.close()
      router.push(listPath)
    },
  )
  return (
    <AdminDialog
      form={form}
      testId={testId}
      buttonLabel="Delete"
      buttonClassName="control-button-danger"
      title={`Delete ${name}`}
      wide
      onOpen={open}
      onSubmit={submit}
      submitLabel={`Delete ${kind}`}
      danger
      disabled={confirm.trim() !== name}
    >
      <section aria-label="Impact" data-testid={`${testId}-impact`} className="space-y-2 text-sm">
        {impact === undefined && !impactError && (
          <p className="text-slate-500 dark:text-slate-400">Reading the impact…</p>
        )}
        <ErrorBanner error={impactError} testId={`${testId}-impact-error`} />
        {impact !== undefined && renderImpact(impact)}
      </section>
      {children}
      <TextField
        id={`${testId}-confirm`}
        label={`Type ${name} to confirm`}
        errors={errorsOf(form.error, 'confirm')}
        value={confirm}
        autoComplete="off"
        onChange={setConfirm}
      />
    </AdminDialog>
  )
}

/** The impact's "these brokers did not answer" line. */
export function ImpactPartial({ failures }: { failures: readonly BrokerFailure[] }) {
  if (failures.length === 0) return null
  return (
    <p className="text-amber-700 dark:text-amber-400">
      Partial: {failures.map((f) => `${f.broker} (${f.reason})`).join(', ')} did not answer.
    </p>
  )
}
