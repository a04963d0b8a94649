'use client'
// The Messages page's client side: the three query modes as tabs, each form's state read from and written to
// the URL (so every search can be shared and the back button works), and the results fetched from the JSON route
// keyed by that URL (the server's first paint seeds it).
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { usePathname, useSearchParams } from 'next/navigation'
import { CursorPageLinks, pushSearch } from '@/app/_components/cursor-page-links'
import { useState, type FormEvent, type ReactNode } from 'react'
import type { MessageQueryMode, MessageSearchResponse } from '@/lib/console/messages'
import { EmptyState } from '@/app/_components/empty-state'
import { PartialBanner } from '@/app/_components/partial-banner'
import { useTimeZone } from '@/app/_components/time-zone'
import { UpdatedAgo } from '@/app/_components/updated-ago'
import { fetchJson } from '@/app/_lib/fetch-json'
import { useHydrated } from '@/app/_lib/use-hydrated'
import { MessageResults } from './message-results'
import { msToUrlInstant, msToWallClock, parseUrlInstant, wallClockToMs } from './_lib/zoned-input'

/** Id and key lookups are cheap index reads: keep them fresh. A time range re-scans: only on demand. */
const LOOKUP_REFRESH_MS = 10_000
const TIME_RANGE_DEFAULT_MS = 60 * 60 * 1000

const MODES: readonly { mode: MessageQueryMode; label: string; hint: string }[] = [
  {
    mode: 'id',
    label: 'By message ID',
    hint: 'An offset message id, or a UNIQ_KEY (give the topic for those).',
  },
  {
    mode: 'key',
    label: 'By key',
    hint: 'Messages of a topic whose KEYS hold the key, optionally in a time range.',
  },
  {
    mode: 'time',
    label: 'By topic and time',
    hint: 'Every message of a topic stored in a time range, in store-time order, filtered on the server.',
  },
]

/** Fields each mode's form writes into the URL. */
const MODE_FIELDS: Readonly<Record<MessageQueryMode, readonly string[]>> = {
  id: ['msgId', 'topic'],
  key: ['topic', 'key', 'tag', 'begin', 'end'],
  time: ['topic', 'begin', 'end', 'fTag', 'fKey', 'fProp', 'fBody'],
}

export interface MessagesViewProps {
  readonly cluster: string
  /** The server render's answer for `url` (the JSON route URL of the page's search params). */
  readonly initial: {
    readonly url: string
    readonly data: MessageSearchResponse | undefined
    readonly atMs: number
  }
  /** The server render failed (cluster unreachable, ...): its message. */
  readonly initialError: string | undefined
}

function modeOf(value: string | null): MessageQueryMode {
  return value === 'key' || value === 'time' ? value : 'id'
}

export function MessagesView({ cluster, initial, initialError }: MessagesViewProps) {
  const pathname = usePathname()
  const searchParams = useSearchParams()
  const search = searchParams.toString()
  const mode = modeOf(searchParams.get('mode'))
  const { zone } = useTimeZone()
  const hydrated = useHydrated()
  const apiUrl = `/api/c/${encodeURIComponent(cluster)}/messages${search === '' ? '' : `?${search}`}`
  const seeded = initial.url === apiUrl && initial.data !== undefined
  const query = useQuery<MessageSearchResponse>({
    queryKey: ['messages', apiUrl],
    queryFn: ({ signal }) => fetchJson<MessageSearchResponse>(apiUrl, { signal }),
    initialData: seeded ? initial.data : undefined,
    initialDataUpdatedAt: seeded && initial.atMs > 0 ? initial.atMs : undefined,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    retry: false,
    refetchInterval: (q) =>
      q.state.data?.status === 'ok' && q.state.data.result.query.mode !== 'time' ? LOOKUP_REFRESH_MS : false,
  })
  const data = query.data
  // While a new search loads, the previous answer stays on screen, but not its field errors.
  const current = query.isPlaceholderData ? undefined : data
  const fieldErrors = current?.status === 'invalid' ? current.fieldErrors : {}
  // A time range without bounds in the URL was resolved by the server (the last hour): show what it scanned.
  const resolvedRange =
    current?.status === 'ok' && current.result.query.mode === 'time'
      ? { beginMs: current.result.query.beginMs, endMs: current.result.query.endMs }
      : undefined
  const error = query.error?.message ?? (seeded || query.isFetched ? undefined : initialError)

  const setMode = (next: MessageQueryMode) => {
    const params = new URLSearchParams(searchParams)
    params.set('mode', next)
    params.delete('cursor')
    pushSearch(pathname, params)
  }

  return (
    // data-hydrated: browser tests type into the form only once React owns it.
    <div className="space-y-4" data-hydrated={hydrated}>
      <div
        role="tablist"
        aria-label="Query mode"
        className="flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800"
      >
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            role="tab"
            aria-selected={mode === m.mode}
            data-testid={`messages-tab-${m.mode}`}
            onClick={() => setMode(m.mode)}
            className={`-mb-px rounded-t-md border-b-2 px-3 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
              mode === m.mode
                ? 'border-sky-600 font-medium text-sky-800 dark:border-sky-400 dark:text-sky-300'
                : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'
            }`}
          >
            {m.label}
          </button>
        ))}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">{MODES.find((m) => m.mode === mode)!.hint}</p>
      <QueryForm
        // A new URL (back button, a link) or zone resets the fields to what the URL says.
        key={`${search}|${zone}|${resolvedRange?.beginMs ?? ''}`}
        resolvedRange={resolvedRange}
        mode={mode}
        searchParams={searchParams}
        zone={zone}
        fieldErrors={fieldErrors}
        busy={query.isFetching}
        onSubmit={(params) => pushSearch(pathname, params)}
      />
      {current?.status === 'invalid' && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="messages-invalid">
          {current.fieldErrors._form?.[0] ?? 'Please fix the fields marked above.'}
        </p>
      )}
      {error && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300"
          data-testid="messages-error"
        >
          {error}
        </p>
      )}
      {data?.status === 'idle' && !query.isFetching && (
        <EmptyState title="No query yet">Fill in the form above and press Search.</EmptyState>
      )}
      {data?.status === 'ok' && (
        <section aria-label="Results" className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <ResultSummary response={data} />
            <span className="flex items-center gap-2">
              <UpdatedAgo atMs={query.dataUpdatedAt || data.result.fetchedAtMs} fetching={query.isFetching} />
              <button type="button" className="control-button text-xs" onClick={() => void query.refetch()}>
                Refresh
              </button>
            </span>
          </div>
          <PartialBanner failures={data.result.failures} />
          <MessageResults cluster={cluster} result={data.result} loading={query.isFetching} />
          {data.result.page && data.result.query.mode === 'time' && !query.isPlaceholderData && (
            <TimePager
              pathname={pathname}
              searchParams={searchParams}
              page={data.result.page}
              range={{ beginMs: data.result.query.beginMs, endMs: data.result.query.endMs }}
              zone={zone}
            />
          )}
        </section>
      )}
    </div>
  )
}

function ResultSummary({ response }: { response: Extract<MessageSearchResponse, { status: 'ok' }> }) {
  const { query, messages, page } = response.result
  const n = messages.length
  const found = `${n} message${n === 1 ? '' : 's'}`
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="messages-summary">
      {query.mode === 'id' &&
        (n === 0 ? (
          <>
            Not found: no broker holds a message with id <code>{query.msgId}</code>.
          </>
        ) : (
          <>
            {found} with id <code>{query.msgId}</code>
          </>
        ))}
      {query.mode === 'key' &&
        (n === 0 ? (
          <>
            Not found: no message of <code>{query.topic}</code> has key <code>{query.key}</code>
            {query.tag ? ' with that tag' : ''}
            {query.beginMs !== undefined || query.endMs !== undefined ? ' in that range' : ''}.
          </>
        ) : (
          <>
            {found} with key <code>{query.key}</code>
          </>
        ))}
      {query.mode === 'time' && page && (
        <span data-testid="scan-progress">
          {found} on this page · scanned {page.scannedTotal.toLocaleString('en-US')} of{' '}
          {page.totalInRange.toLocaleString('en-US')} in range
          {n === 0 && page.nextCursor ? ' · no match yet, the next page scans on' : ''}
        </span>
      )}
    </p>
  )
}

function TimePager(props: {
  pathname: string
  searchParams: ReturnType<typeof useSearchParams>
  page: { nextCursor: string | undefined; scannedTotal: number; totalInRange: number }
  /** The range the server scanned: a cursor only continues that exact range, so the links pin it. */
  range: { beginMs: number; endMs: number }
  zone: string
}) {
  const { pathname, searchParams, page, range, zone } = props
  // The cursor belongs to the range it was issued for: the links carry that range, whatever the URL says now.
  const pinned = new URLSearchParams(searchParams.toString())
  pinned.set('begin', msToUrlInstant(range.beginMs, zone))
  pinned.set('end', msToUrlInstant(range.endMs, zone))
  const first = new URLSearchParams(pinned)
  first.delete('cursor')
  const next = new URLSearchParams(pinned)
  if (page.nextCursor) next.set('cursor', page.nextCursor)
  return (
    <nav aria-label="Scan pages" className="flex items-center justify-end gap-2 text-sm">
      <CursorPageLinks
        pathname={pathname}
        first={first}
        next={page.nextCursor ? next : undefined}
        onLaterPage={searchParams.get('cursor') !== null}
        testIdPrefix="messages"
      />
    </nav>
  )
}

interface QueryFormProps {
  readonly mode: MessageQueryMode
  readonly resolvedRange: { readonly beginMs: number; readonly endMs: number } | undefined
  readonly searchParams: ReturnType<typeof useSearchParams>
  readonly zone: string
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>
  readonly busy: boolean
  readonly onSubmit: (params: URLSearchParams) => void
}

function QueryForm({ mode, resolvedRange, searchParams, zone, fieldErrors, busy, onSubmit }: QueryFormProps) {
  const initialTime = (name: 'begin' | 'end') => {
    const resolved = mode === 'time' ? resolvedRange?.[name === 'begin' ? 'beginMs' : 'endMs'] : undefined
    const ms = parseUrlInstant(searchParams.get(name)) ?? resolved
    return ms === undefined ? '' : msToWallClock(ms, zone)
  }
  const [values, setValues] = useState<Record<string, string>>(() => ({
    msgId: searchParams.get('msgId') ?? '',
    topic: searchParams.get('topic') ?? '',
    key: searchParams.get('key') ?? '',
    tag: searchParams.get('tag') ?? '',
    begin: initialTime('begin'),
    end: initialTime('end'),
    fTag: searchParams.get('fTag') ?? '',
    fKey: searchParams.get('fKey') ?? '',
    fProp: searchParams.get('fProp') ?? '',
    fBody: searchParams.get('fBody') ?? '',
  }))
  const set = (name: string) => (value: string) => setValues((v) => ({ ...v, [name]: value }))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const params = new URLSearchParams(searchParams.toString())
    params.set('mode', mode)
    params.delete('cursor')
    for (const field of MODE_FIELDS[mode]) {
      const value = (values[field] ?? '').trim()
      if (field === 'begin' || field === 'end') continue
      if (value === '') params.delete(field)
      else params.set(field, value)
    }
    if (mode !== 'id') {
      // The URL holds absolute instants; a time range without bounds means the last hour up to now.
      const nowMs = Date.now()
      let beginMs = wallClockToMs(values.begin ?? '', zone)
      let endMs = wallClockToMs(values.end ?? '', zone)
      if (mode === 'time') {
        endMs ??= nowMs
        beginMs ??= endMs - TIME_RANGE_DEFAULT_MS
      }
      for (const [name, ms] of [
        ['begin', beginMs],
        ['end', endMs],
      ] as const) {
        if (ms === undefined) params.delete(name)
        else params.set(name, msToUrlInstant(ms, zone))
      }
    }
    onSubmit(params)
  }

  const text = (
    name: string,
    label: string,
    props: { placeholder?: string; wide?: boolean; required?: boolean } = {},
  ) => (
    <Field name={name} label={label} errors={fieldErrors[name]}>
      <input
        id={`messages-${name}`}
        name={name}
        value={values[name] ?? ''}
        onChange={(e) => set(name)(e.target.value)}
        placeholder={props.placeholder}
        required={props.required}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={fieldErrors[name] ? `messages-${name}-error` : undefined}
        className={`control-input font-mono ${props.wide ? 'w-[34rem] max-w-full' : 'w-64'}`}
        data-testid={`messages-input-${name}`}
        autoComplete="off"
        spellCheck={false}
      />
    </Field>
  )
  const time = (name: 'begin' | 'end', label: string) => (
    <Field name={name} label={`${label} (${zone})`} errors={fieldErrors[name]}>
      <input
        id={`messages-${name}`}
        name={name}
        type="datetime-local"
        step={1}
        value={values[name] ?? ''}
        onChange={(e) => set(name)(e.target.value)}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={fieldErrors[name] ? `messages-${name}-error` : undefined}
        className="control-input font-mono"
        data-testid={`messages-input-${name}`}
      />
    </Field>
  )

  return (
    <form onSubmit={submit} className="panel space-y-3" data-testid={`messages-form-${mode}`} noValidate>
      <div className="flex flex-wrap items-start gap-3">
        {mode === 'id' && (
          <>
            {text('msgId', 'Message ID', {
              placeholder: '7F00000100002A9F0000000000000000',
              wide: true,
              required: true,
            })}
            {text('topic', 'Topic (needed for a UNIQ_KEY)')}
          </>
        )}
        {mode === 'key' && (
          <>
            {text('topic', 'Topic', { required: true })}
            {text('key', 'Key', { required: true })}
            {text('tag', 'Tag')}
            {time('begin', 'From')}
            {time('end', 'To')}
          </>
        )}
        {mode === 'time' && (
          <>
            {text('topic', 'Topic', { required: true })}
            {time('begin', 'From')}
            {time('end', 'To')}
          </>
        )}
      </div>
      {mode === 'time' && (
        <fieldset className="flex flex-wrap items-start gap-3">
          <legend className="mb-1 text-xs font-medium text-slate-500 dark:text-slate-400">
            Filters (applied on the server while scanning)
          </legend>
          {text('fTag', 'Tag')}
          {text('fKey', 'Key')}
          {text('fProp', 'Property', { placeholder: 'name or name=value' })}
          {text('fBody', 'Body contains')}
        </fieldset>
      )}
      <div className="flex items-center gap-3">
        <button type="submit" className="control-button-primary" data-testid="messages-search">
          Search
        </button>
        {busy && <span className="text-xs text-slate-500 dark:text-slate-400">searching…</span>}
        {mode === 'time' && (
          <span className="text-xs text-slate-500 dark:text-slate-400">
            Empty times: the last hour up to now.
          </span>
        )}
      </div>
    </form>
  )
}

function Field({
  name,
  label,
  errors,
  children,
}: {
  name: string
  label: string
  errors: readonly string[] | undefined
  children: ReactNode
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`messages-${name}`} className="text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      {children}
      {errors && errors.length > 0 && (
        <p
          id={`messages-${name}-error`}
          className="max-w-[34rem] text-xs text-red-700 dark:text-red-400"
          data-testid={`messages-error-${name}`}
        >
          {errors.join(' ')}
        </p>
      )}
    </div>
  )
}
