'use client'
// "First page" / "Next page" links of a cursor-paged scan (messages by time range, a group's DLQ), and the URL
// pushes they share: a plain click pushes the new search string (Next keeps useSearchParams in step, so the live
// query refetches without a server render); a modified click (new tab) keeps the browser's way.
import type { MouseEvent } from 'react'

/** Pushes `params` as the page's search string. */
export function pushSearch(pathname: string, params: URLSearchParams): void {
  const text = params.toString()
  window.history.pushState(null, '', text === '' ? pathname : `${pathname}?${text}`)
}

function pushOnPlainClick(
  event: MouseEvent<HTMLAnchorElement>,
  pathname: string,
  params: URLSearchParams,
): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  pushSearch(pathname, params)
}

export interface CursorPageLinksProps {
  readonly pathname: string
  /** The search string of the first page (no cursor) and, when there is one, of the next page. */
  readonly first: URLSearchParams
  readonly next: URLSearchParams | undefined
  /** Whether this page was reached with a cursor (so "First page" leads somewhere). */
  readonly onLaterPage: boolean
  /** data-testid prefix: `<prefix>-first-page`, `-next-page`, `-range-end`. */
  readonly testIdPrefix: string
}

export function CursorPageLinks({ pathname, first, next, onLaterPage, testIdPrefix }: CursorPageLinksProps) {
  const href = (params: URLSearchParams) => `${pathname}?${params.toString()}`
  return (
    <>
      {onLaterPage && (
        <a
          className="control-button"
          href={href(first)}
          onClick={(e) => pushOnPlainClick(e, pathname, first)}
          data-testid={`${testIdPrefix}-first-page`}
        >
          ⇤ First page
        </a>
      )}
      {next ? (
        <a
          className="control-button"
          href={href(next)}
          onClick={(e) => pushOnPlainClick(e, pathname, next)}
          data-testid={`${testIdPrefix}-next-page`}
        >
          Next page →
        </a>
      ) : (
        <span
          className="text-xs text-slate-500 dark:text-slate-400"
          data-testid={`${testIdPrefix}-range-end`}
        >
          End of the range
        </span>
      )}
    </>
  )
}
