'use client'
// "Export" of the browse page: the selected messages, or everything the current range and filters hold, as JSON or
// CSV (the server bounds it and makes CSV safe against formula injection). Fetched, then saved as a download, so a
// refusal or a failure shows here instead of replacing the page.
import { useState } from 'react'
import { FetchJsonError } from '@/app/_lib/fetch-json'
import type { MessageFilter } from '@/lib/cluster/gateway'
import { dlqExportApiUrl } from '../_lib/dlq-urls'

/** lib/dlq/dlq-schemas.ts DLQ_EXPORT_IDS_MAX: named messages one export reads at most. */
export const EXPORT_IDS_MAX = 1_000

type Format = 'json' | 'csv'

export type ExportSelection =
  | { readonly msgIds: readonly string[] }
  | { readonly beginMs?: number; readonly endMs?: number; readonly filter?: MessageFilter }

/** The file name the server chose (content-disposition), or a fallback. */
function filenameOf(response: Response, format: Format): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')
  return match?.[1] ?? `dlq-export.${format}`
}

async function download(cluster: string, group: string, format: Format, selection: ExportSelection) {
  const response = await fetch(dlqExportApiUrl(cluster), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ group, format, selection }),
    cache: 'no-store',
  })
  if (!response.ok) {
    // The error body is the routes' { error: { code, message } }: read it the way fetchJson does.
    const payload = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined
    throw new FetchJsonError(
      payload?.error?.message ?? `HTTP ${response.status}`,
      response.status,
      payload?.error?.code,
    )
  }
  const blob = await response.blob()
  const href = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = href
  link.download = filenameOf(response, format)
  document.body.append(link)
  link.click()
  link.remove()
  // The click has started the download; the object URL can go once the browser took it.
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
  return Number(response.headers.get('x-mqdeck-export-count') ?? '0')
}

export function ExportButtons({
  cluster,
  group,
  selectedIds,
  range,
}: {
  cluster: string
  group: string
  selectedIds: readonly string[]
  range: ExportSelection
}) {
  const [busy, setBusy] = useState<string>()
  const [message, setMessage] = useState<{ error: boolean; text: string }>()
  const tooMany = selectedIds.length > EXPORT_IDS_MAX

  const run = (what: 'selection' | 'range', format: Format) => {
    const selection = what === 'selection' ? { msgIds: selectedIds } : range
    setBusy(`${what}-${format}`)
    setMessage(undefined)
    download(cluster, group, format, selection)
      .then((count) =>
        setMessage({
          error: false,
          text: `Exported ${count} message${count === 1 ? '' : 's'} as ${format.toUpperCase()}.`,
        }),
      )
      .catch((err: unknown) =>
        setMessage({
          error: true,
          text: `Export failed: ${err instanceof Error ? err.message : String(err)}`,
        }),
      )
      .finally(() => setBusy(undefined))
  }

  const button = (what: 'selection' | 'range', format: Format, disabled: boolean, title?: string) => (
    <button
      type="button"
      className="control-button text-xs"
      disabled={disabled || busy !== undefined}
      title={title}
      onClick={() => run(what, format)}
      data-testid={`dlq-export-${what}-${format}`}
    >
      {busy === `${what}-${format}` ? 'Exporting…' : format.toUpperCase()}
    </button>
  )

  return (
    <div
      className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400"
      data-testid="dlq-export"
    >
      <span>Export selection</span>
      {button(
        'selection',
        'json',
        selectedIds.length === 0 || tooMany,
        tooMany ? `at most ${EXPORT_IDS_MAX} selected messages; export the range instead` : undefined,
      )}
      {button('selection', 'csv', selectedIds.length === 0 || tooMany)}
      <span className="ml-2">Export range</span>
      {button('range', 'json', false)}
      {button('range', 'csv', false)}
      {message && (
        <span
          role={message.error ? 'alert' : 'status'}
          className={message.error ? 'text-red-700 dark:text-red-400' : ''}
          data-testid="dlq-export-message"
        >
          {message.text}
        </span>
      )}
    </div>
  )
}
