// One headline figure with its label and an optional hint underneath (a count, a rate, "unsupported: why").
import type { ReactNode } from 'react'

export interface StatProps {
  readonly label: string
  readonly value: ReactNode
  readonly hint?: ReactNode
  readonly tone?: 'normal' | 'warning' | 'danger' | 'muted'
  readonly testId?: string
}

const VALUE_TONE: Readonly<Record<NonNullable<StatProps['tone']>, string>> = {
  normal: 'text-slate-900 dark:text-slate-100',
  warning: 'text-amber-700 dark:text-amber-400',
  danger: 'text-red-700 dark:text-red-400',
  muted: 'text-slate-400 dark:text-slate-500',
}

export function Stat({ label, value, hint, tone = 'normal', testId }: StatProps) {
  return (
    <div
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid={testId}
    >
      <div className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {label}
      </div>
      <div className={`mt-1 text-2xl font-semibold tabular-nums ${VALUE_TONE[tone]}`}>{value}</div>
      {hint !== undefined && <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</div>}
    </div>
  )
}
