'use client'
// The admin dialogs' form machinery: one hook for the intent key, pending state and server error of a dialog, the
// dialog itself (trigger button, modal, error banner, Cancel/submit), text fields and the create dialogs' placement.
import { useState, useTransition, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react'
import type { ActionError, ActionResult } from '@/app/action-result'
import {
  DialogButtons,
  describedBy,
  ErrorBanner,
  errorsOf,
  Field,
  Modal,
  splitList,
  useDialogIntent,
} from './dialog-parts'

export interface AdminForm {
  readonly dialog: ReturnType<typeof useDialogIntent>
  readonly pending: boolean
  readonly error: ActionError | undefined
  readonly setError: (error: ActionError | undefined) => void
  /** Opens with a fresh intent key and no old error; `reset` clears the dialog's own state first. */
  readonly open: (reset?: () => void) => void
  /**
   * The form's submit handler: runs `action` with the intent key (the same key on every retry of this opening,
   * so the server does it once); a failure shows its error, a success clears it and calls `done`.
   */
  readonly submit: <T>(
    action: (idempotencyKey: string) => Promise<ActionResult<T>>,
    done: (data: T) => void,
  ) => (event: FormEvent) => void
}

export function useAdminForm(): AdminForm {
  const dialog = useDialogIntent()
  const [pending, startTransition] = useTransition()
  const [error, setError] = useState<ActionError>()
  return {
    dialog,
    pending,
    error,
    setError,
    open: (reset) => {
      setError(undefined)
      reset?.()
      dialog.show()
    },
    submit: (action, done) => (event) => {
      event.preventDefault()
      startTransition(async () => {
        const result = await action(dialog.intentKey)
        if (!result.ok) return setError(result.error)
        setError(undefined)
        done(result.data)
      })
    },
  }
}

/**
 * A button that opens a form dialog. `testId` names the parts: `<testId>` (the button), `<testId>-dialog`,
 * `<testId>-error` and `<testId>-submit`. `result`, when set, replaces the form (a "sent" view).
 */
export function AdminDialog({
  form,
  testId,
  buttonLabel,
  buttonClassName = 'control-button',
  title,
  wide,
  onOpen,
  onSubmit,
  submitLabel,
  danger,
  disabled,
  result,
  children,
}: {
  form: AdminForm
  testId: string
  buttonLabel: string
  buttonClassName?: string
  title: string
  wide?: boolean
  onOpen?: () => void
  onSubmit: (event: FormEvent) => void
  submitLabel: string
  danger?: boolean
  disabled?: boolean
  result?: ReactNode
  children: ReactNode
}) {
  return (
    <>
      <button
        type="button"
        className={buttonClassName}
        onClick={() => form.open(onOpen)}
        data-testid={testId}
      >
        {buttonLabel}
      </button>
      <Modal
        open={form.dialog.open}
        onClose={form.dialog.close}
        title={title}
        testId={`${testId}-dialog`}
        wide={wide}
      >
        {result ?? (
          <form onSubmit={onSubmit} className="space-y-3" noValidate>
            <ErrorBanner error={form.error} testId={`${testId}-error`} />
            {children}
            <DialogButtons
              pending={form.pending}
              onCancel={form.dialog.close}
              submitLabel={submitLabel}
              testId={`${testId}-submit`}
              danger={danger}
              disabled={disabled}
            />
          </form>
        )}
      </Modal>
    </>
  )
}

/** A labelled <input> tied to its field errors; monospaced text unless `className` says otherwise. */
export function TextField({
  id,
  label,
  hint,
  errors,
  value,
  onChange,
  className = 'control-input w-full font-mono',
  ...input
}: {
  id: string
  label: string
  hint?: string
  errors: readonly string[]
  value: string
  onChange: (value: string) => void
  className?: string
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <input
        id={id}
        className={className}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...input}
        {...describedBy(id, errors)}
      />
    </Field>
  )
}

/** Where a create goes: every master of a cluster, or these brokers (neither: the server picks). */
export interface Placement {
  clusterName: string
  brokers: string
}

export const NO_PLACEMENT: Placement = { clusterName: '', brokers: '' }

/** The placement as the create actions take it. */
export function placementInput(value: Placement): { clusterName: string | undefined; brokerNames: string[] } {
  return { clusterName: value.clusterName.trim() || undefined, brokerNames: splitList(value.brokers) }
}

export function PlacementFields({
  idPrefix,
  value,
  onChange,
  error,
}: {
  idPrefix: string
  value: Placement
  onChange: (value: Placement) => void
  error: ActionError | undefined
}) {
  return (
    <div className="grid grid-cols-2 gap-3">
      <TextField
        id={`${idPrefix}-cluster`}
        label="Cluster"
        errors={errorsOf(error, 'clusterName')}
        hint="every master of this cluster"
        value={value.clusterName}
        onChange={(clusterName) => onChange({ ...value, clusterName })}
      />
      <TextField
        id={`${idPrefix}-brokers`}
        label="or brokers"
        errors={errorsOf(error, 'brokerNames', true)}
        hint="comma separated"
        value={value.brokers}
        onChange={(brokers) => onChange({ ...value, brokers })}
      />
    </div>
  )
}
