'use client'
// A message body as text, pretty JSON, hex dump or base64, decoded in the browser from the base64 the server
// sent. The chosen view is in the URL (`view=`), so a shared link opens the same way. Never HTML: React escapes
// every string rendered here.
import { usePathname, useSearchParams } from 'next/navigation'
import { useMemo } from 'react'
import type { MessageView } from '@/lib/cluster/gateway'
import { formatBytes } from '@/app/_components/format'
import {
  base64ToBytes,
  BODY_VIEWS,
  decodeUtf8,
  defaultBodyView,
  hexDump,
  prettyJson,
  type BodyView,
} from '../_lib/body-format'

const VIEW_LABEL: Readonly<Record<BodyView, string>> = {
  text: 'Text',
  json: 'JSON',
  hex: 'Hex',
  base64: 'Base64',
}

/** Bodies shown up to this size when the user asks for more than the default cut (RocketMQ's 4 MiB cap). */
const BODY_BYTES_LARGE = 1024 * 1024

export function BodyViewer({
  message,
  bodyBytesMax,
  downloadHref,
}: {
  message: MessageView
  bodyBytesMax: number
  downloadHref: string
}) {
  const pathname = usePathname()
  const searchParams = useSearchParams()
  const bytes = useMemo(() => base64ToBytes(message.bodyBase64), [message.bodyBase64])
  const { text, valid } = useMemo(
    () => decodeUtf8(bytes, message.bodyTruncated),
    [bytes, message.bodyTruncated],
  )
  const json = useMemo(() => (valid ? prettyJson(text) : undefined), [text, valid])
  const requested = searchParams.get('view')
  const view: BodyView = (BODY_VIEWS as readonly string[]).includes(requested ?? '')
    ? (requested as BodyView)
    : defaultBodyView(bytes, message.bodyTruncated)

  const setView = (next: BodyView) => {
    const params = new URLSearchParams(searchParams.toString())
    params.set('view', next)
    window.history.replaceState(null, '', `${pathname}?${params.toString()}`)
  }
  const moreHref = (() => {
    const params = new URLSearchParams(searchParams.toString())
    params.set('bodyBytesMax', String(BODY_BYTES_LARGE))
    return `${pathname}?${params.toString()}`
  })()

  let content: string
  let note: string | undefined
  switch (view) {
    case 'text':
      content = text
      if (!valid)
        note = 'The body is not valid UTF-8: undecodable bytes show as �. The hex view shows them all.'
      break
    case 'json':
      content = json ?? text
      if (json === undefined)
        note = message.bodyTruncated
          ? 'The body is cut, so it does not parse as JSON: showing it as text.'
          : 'The body does not parse as JSON: showing it as text.'
      break
    case 'hex':
      content = hexDump(bytes)
      break
    case 'base64':
      content = message.bodyBase64
      break
  }

  return (
    <section className="panel space-y-2" aria-label="Body" data-testid="message-body">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="panel-title mb-0">
          Body{' '}
          <span className="font-normal text-slate-500 dark:text-slate-400">
            ({formatBytes(message.bodySizeBytes)})
          </span>
        </h2>
        <div role="tablist" aria-label="Body view" className="flex gap-1">
          {BODY_VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              onClick={() => setView(v)}
              data-testid={`body-view-${v}`}
              className={`rounded-md px-2 py-0.5 text-xs focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
                view === v
                  ? 'bg-sky-100 font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100'
                  : 'text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800'
              }`}
            >
              {VIEW_LABEL[v]}
            </button>
          ))}
        </div>
      </div>
      {message.bodyTruncated && (
        <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="body-truncated">
          Truncated: showing {bytes.length.toLocaleString('en-US')} of{' '}
          {message.bodySizeBytes.toLocaleString('en-US')} bytes.{' '}
          {bodyBytesMax < BODY_BYTES_LARGE && (
            <>
              <a className="text-link" href={moreHref}>
                Show up to {formatBytes(BODY_BYTES_LARGE)}
              </a>{' '}
              or{' '}
            </>
          )}
          <a className="text-link" href={downloadHref} download data-testid="body-download-truncated">
            download the whole body
          </a>
          .
        </p>
      )}
      {!message.bodyDecoded && (
        <p className="text-xs text-amber-800 dark:text-amber-300">
          The body is compressed with {message.compression}, which this server does not decode: these are the
          stored bytes.
        </p>
      )}
      {note && <p className="text-xs text-slate-500 dark:text-slate-400">{note}</p>}
      <pre
        className={`max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 dark:bg-slate-950 dark:text-slate-200 ${
          view === 'hex' ? 'whitespace-pre' : 'break-all whitespace-pre-wrap'
        }`}
        data-testid="body-content"
        data-view={view}
        tabIndex={0}
      >
        {content === '' ? '(empty body)' : content}
      </pre>
      <div className="flex justify-end">
        <a className="control-button text-xs" href={downloadHref} download data-testid="body-download">
          Download body
        </a>
      </div>
    </section>
  )
}
