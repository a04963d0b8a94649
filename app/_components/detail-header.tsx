// The head of a topic or group detail page: a breadcrumb back to its list, the name as the title, badges beside
// it and "updated N s ago"; and the same head over the reason when the detail could not be read.
import Link from 'next/link'
import type { ReactNode } from 'react'
import { UpdatedAgo } from './updated-ago'

export interface Crumb {
  readonly href: string
  readonly label: string
}

function Breadcrumb({ crumb }: { crumb: Crumb }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
      <Link href={crumb.href} className="hover:underline">
        {crumb.label}
      </Link>{' '}
      /
    </nav>
  )
}

const TITLE_CLASS = 'font-mono text-xl font-semibold break-all'

export function DetailHeader({
  crumb,
  title,
  live,
  children,
}: {
  crumb: Crumb
  title: string
  /** The live query's state, for "updated N s ago". */
  live: { readonly atMs: number; readonly fetching: boolean; readonly error: string | undefined }
  /** Badges and links beside the title. */
  children?: ReactNode
}) {
  return (
    <div className="space-y-1">
      <Breadcrumb crumb={crumb} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className={TITLE_CLASS}>{title}</h1>
        {children}
        <span className="ml-auto">
          <UpdatedAgo atMs={live.atMs} fetching={live.fetching} error={live.error} />
        </span>
      </div>
    </div>
  )
}

/** No detail to show yet: loading, or the reason it could not be read. */
export function DetailUnavailable({
  crumb,
  title,
  message,
}: {
  crumb: Crumb
  title: string
  message: string
}) {
  return (
    <div className="space-y-2">
      <Breadcrumb crumb={crumb} />
      <h1 className={TITLE_CLASS}>{title}</h1>
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {message}
      </p>
    </div>
  )
}
