// What a list or panel shows when it has nothing: a title, why, and optionally what to do next.
import type { ReactNode } from 'react'

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string
  children?: ReactNode
  action?: ReactNode
}) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <p className="text-sm font-medium text-slate-700 dark:text-slate-300">{title}</p>
      {children !== undefined && (
        <div className="mt-1 text-sm text-slate-500 dark:text-slate-400">{children}</div>
      )}
      {action !== undefined && <div className="mt-4">{action}</div>}
    </div>
  )
}
