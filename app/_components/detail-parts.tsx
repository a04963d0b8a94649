// Building blocks of the topic and group detail pages: a titled section, a key/value list and a plain table
// for the small, unpaged tables of one topic or group (queues, brokers, members).
import type { ReactNode } from 'react'

export function Section({
  title,
  hint,
  testId,
  children,
}: {
  title: string
  hint?: ReactNode
  testId?: string
  children: ReactNode
}) {
  return (
    <section className="space-y-2" data-testid={testId} aria-label={title}>
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 className="text-sm font-semibold tracking-wide text-slate-700 uppercase dark:text-slate-300">
          {title}
        </h2>
        {hint !== undefined && <p className="text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
      </div>
      {children}
    </section>
  )
}

export function KeyValues({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
          <dd className="font-mono text-xs leading-5 break-all text-slate-900 dark:text-slate-100">
            {value}
          </dd>
        </div>
      ))}
    </dl>
  )
}

export interface SimpleColumn<T> {
  readonly header: string
  readonly cell: (row: T) => ReactNode
  /** Right-aligned numbers. */
  readonly numeric?: boolean
}

export function SimpleTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  testId,
}: {
  columns: readonly SimpleColumn<T>[]
  rows: readonly T[]
  rowKey: (row: T) => string
  empty: ReactNode
  testId?: string
}) {
  return (
    <div
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      data-testid={testId}
    >
      <table className="w-full border-collapse text-sm">
        <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase dark:bg-slate-800/60 dark:text-slate-400">
          <tr>
            {columns.map((c) => (
              <th
                key={c.header}
                scope="col"
                className={`px-3 py-2 font-medium whitespace-nowrap ${c.numeric ? 'text-right' : ''}`}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-t border-slate-100 dark:border-slate-800">
              {columns.map((c) => (
                <td
                  key={c.header}
                  className={`px-3 py-1.5 align-top ${c.numeric ? 'text-right tabular-nums' : ''}`}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && (
        <div className="px-3 py-6 text-center text-sm text-slate-500 dark:text-slate-400">{empty}</div>
      )}
    </div>
  )
}

/** A link inside console text: underlined on hover, visible focus ring. */
export const LINK_CLASS =
  'font-mono text-sky-700 hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400'
