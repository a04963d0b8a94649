'use client'
// The browse page's time range (typed in the chosen time zone, written to the URL as absolute instants) and the
// server-side filters (tag, key, property, body). Empty times mean an open range: the whole DLQ.
import { useState, type FormEvent } from 'react'
import {
  msToUrlInstant,
  msToWallClock,
  parseUrlInstant,
  wallClockToMs,
} from '@/app/c/[cluster]/messages/_lib/zoned-input'

/** The URL params this form owns; the rest (pageSize, job) survive a search. */
export const FILTER_PARAMS = ['begin', 'end', 'fTag', 'fKey', 'fProp', 'fBody'] as const

export function DlqFilterForm({
  searchParams,
  zone,
  fieldErrors,
  busy,
  onSubmit,
}: {
  searchParams: URLSearchParams
  zone: string
  fieldErrors: Readonly<Record<string, readonly string[]>>
  busy: boolean
  onSubmit: (params: URLSearchParams) => void
}) {
  const time = (name: 'begin' | 'end') => {
    const ms = parseUrlInstant(searchParams.get(name))
    // A value the browser cannot show (not an instant) stays as typed, so its field error makes sense.
    return ms === undefined ? '' : msToWallClock(ms, zone)
  }
  const [values, setValues] = useState<Record<string, string>>(() => ({
    begin: time('begin'),
    end: time('end'),
    fTag: searchParams.get('fTag') ?? '',
    fKey: searchParams.get('fKey') ?? '',
    fProp: searchParams.get('fProp') ?? '',
    fBody: searchParams.get('fBody') ?? '',
  }))
  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const params = new URLSearchParams(searchParams.toString())
    params.delete('cursor')
    for (const name of ['fTag', 'fKey', 'fProp', 'fBody']) {
      const value = (values[name] ?? '').trim()
      if (value === '') params.delete(name)
      else params.set(name, value)
    }
    for (const name of ['begin', 'end'] as const) {
      const text = (values[name] ?? '').trim()
      const ms = text === '' ? undefined : wallClockToMs(text, zone)
      if (ms === undefined) {
        // Unparseable text goes to the server as typed, which answers with a field error.
        if (text === '') params.delete(name)
        else params.set(name, text)
      } else params.set(name, msToUrlInstant(ms, zone))
    }
    onSubmit(params)
  }

  const clear = () => {
    const params = new URLSearchParams(searchParams.toString())
    for (const name of [...FILTER_PARAMS, 'cursor']) params.delete(name)
    setValues({ begin: '', end: '', fTag: '', fKey: '', fProp: '', fBody: '' })
    onSubmit(params)
  }

  const field = (
    name: string,
    label: string,
    input: { type?: string; placeholder?: string; className?: string } = {},
  ) => {
    const errors = fieldErrors[name]
    const id = `dlq-filter-${name}`
    return (
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-xs font-medium text-slate-600 dark:text-slate-400">
          {label}
        </label>
        <input
          id={id}
          name={name}
          type={input.type ?? 'text'}
          step={input.type === 'datetime-local' ? 1 : undefined}
          value={values[name] ?? ''}
          onChange={(e) => set(name, e.target.value)}
          placeholder={input.placeholder}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${id}-error` : undefined}
          className={`control-input font-mono ${input.className ?? 'w-44'}`}
          data-testid={id}
          autoComplete="off"
          spellCheck={false}
        />
        {errors && errors.length > 0 && (
          <p
            id={`${id}-error`}
            className="max-w-[22rem] text-xs text-red-700 dark:text-red-400"
            data-field-error
          >
            {errors.join(' ')}
          </p>
        )}
      </div>
    )
  }

  return (
    <form onSubmit={submit} className="panel space-y-3" data-testid="dlq-filters" noValidate>
      <div className="flex flex-wrap items-start gap-3">
        {field('begin', `Stored from (${zone})`, { type: 'datetime-local', className: '' })}
        {field('end', `to (${zone})`, { type: 'datetime-local', className: '' })}
        {field('fTag', 'Tag')}
        {field('fKey', 'Key')}
        {field('fProp', 'Property', { placeholder: 'name or name=value' })}
        {field('fBody', 'Body contains')}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="control-button-primary" data-testid="dlq-filter-apply">
          Apply
        </button>
        <button type="button" className="control-button" onClick={clear} data-testid="dlq-filter-clear">
          Clear
        </button>
        {busy && <span className="text-xs text-slate-500 dark:text-slate-400">reading…</span>}
        <span className="text-xs text-slate-500 dark:text-slate-400">
          Empty times: the whole DLQ. Filters are applied on the server while scanning.
        </span>
      </div>
    </form>
  )
}
