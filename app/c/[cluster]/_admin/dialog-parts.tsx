'use client'
// The admin dialogs' shared parts: a modal on the native <dialog> (focus trap, Esc to close), the idempotency
// key made once per opening, labelled fields that show their server-side field errors, and the error banner.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { ActionError } from '@/app/action-result'

/** A fresh key per user intent: [A-Za-z0-9_-], as runMutation wants. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A dialog's open state and the intent key generated when it opens (kept through retries until it closes). */
export function useDialogIntent(): {
  open: boolean
  intentKey: string
  show: () => void
  close: () => void
  /** A new intent inside the same opening ("send another"). */
  renew: () => void
} {
  const [open, setOpen] = useState(false)
  const [intentKey, setIntentKey] = useState('')
  return {
    open,
    intentKey,
    show: () => {
      setIntentKey(newIdempotencyKey())
      setOpen(true)
    },
    close: () => setOpen(false),
    renew: () => setIntentKey(newIdempotencyKey()),
  }
}

export function Modal({
  open,
  onClose,
  title,
  testId,
  children,
  wide,
}: {
  open: boolean
  onClose: () => void
  title: string
  testId: string
  children: ReactNode
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
      className={`m-auto w-full ${wide ? 'max-w-2xl' : 'max-w-lg'} rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100`}
    >
      {open && (
        <div className="max-h-[85vh] space-y-4 overflow-y-auto p-5">
          <div className="flex items-start justify-between gap-3">
            <h2 id={`${testId}-title`} className="text-lg font-semibold break-all">
              {title}
            </h2>
            <button type="button" className="control-button" onClick={onClose} aria-label="Close">
              ✕
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  )
}

/** The failure's message; field errors are shown by their fields, the rest here. */
export function ErrorBanner({ error, testId }: { error: ActionError | undefined; testId: string }) {
  if (!error) return null
  return (
    <p
      role="alert"
      data-testid={testId}
      data-code={error.code}
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300"
    >
      {error.message}
    </p>
  )
}

/** The messages of field `name` (and of its sub-paths when `prefix` is set, e.g. "keys.0"). */
export function errorsOf(error: ActionError | undefined, name: string, prefix = false): readonly string[] {
  if (!error) return []
  return Object.entries(error.fieldErrors).flatMap(([field, messages]) =>
    field === name || (prefix && field.startsWith(`${name}.`)) ? messages : [],
  )
}

export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null
  return (
    <span id={id} className="block text-xs text-red-700 dark:text-red-400" data-field-error>
      {messages.join('; ')}
    </span>
  )
}

/** A labelled control with its hint and field errors; `children` is the input (give it id={id}). */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string
  label: string
  hint?: string
  errors: readonly string[]
  children: ReactNode
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {children}
      {hint && <span className="block text-xs text-slate-500 dark:text-slate-400">{hint}</span>}
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  )
}

/** Props that tie an input to its Field's error text. */
export function describedBy(id: string, errors: readonly string[]) {
  return errors.length > 0 ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {}
}

/** "a, b c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** An input's number; NaN when empty, so the server answers with its "is a whole number" field error. */
export function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text)
}

export function Checkbox({
  id,
  label,
  checked,
  onChange,
  hint,
}: {
  id: string
  label: string
  checked: boolean
  onChange: (value: boolean) => void
  hint?: string
}) {
  return (
    <div>
      <label htmlFor={id} className="inline-flex items-center gap-2 text-sm">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          className="h-4 w-4 rounded border-slate-300 text-sky-700 focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-600"
        />
        {label}
      </label>
      {hint && <span className="block pl-6 text-xs text-slate-500 dark:text-slate-400">{hint}</span>}
    </div>
  )
}

/** Cancel and the submit button (disabled while the action runs, or until `disabled` clears). */
export function DialogButtons({
  pending,
  onCancel,
  submitLabel,
  testId,
  danger,
  disabled,
}: {
  pending: boolean
  onCancel: () => void
  submitLabel: string
  testId: string
  danger?: boolean
  disabled?: boolean
}) {
  return (
    <div className="flex justify-end gap-2 pt-2">
      <button type="button" className="control-button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="submit"
        className={danger ? 'control-button-danger' : 'control-button-primary'}
        disabled={pending || disabled}
        data-testid={testId}
      >
        {pending ? 'Working…' : submitLabel}
      </button>
    </div>
  )
}
