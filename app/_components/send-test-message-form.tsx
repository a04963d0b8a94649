'use client'
// "Send test message": a small form that calls sendTestMessageAction and shows where the message landed.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { sendTestMessageAction } from '@/app/actions'
import { STORE_STATS_QUERY_KEY } from './store-stats-panel'
import { formatInteger } from './format'

interface FormValues {
  topic: string
  tag: string
  keys: string
  body: string
}

const INITIAL_VALUES: FormValues = { topic: 'TestTopic', tag: 'TagA', keys: '', body: 'Hello, RocketMQ' }

const inputClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ' +
  'placeholder:text-slate-400 focus:border-emerald-600 focus:outline-none focus:ring-2 focus:ring-emerald-600/20'

export function SendTestMessageForm() {
  const queryClient = useQueryClient()
  const [values, setValues] = useState<FormValues>(INITIAL_VALUES)
  const mutation = useMutation({
    mutationFn: (input: FormValues) => sendTestMessageAction(input),
    onSuccess: (result) => {
      if (result.ok) void queryClient.invalidateQueries({ queryKey: STORE_STATS_QUERY_KEY })
    },
  })

  const result = mutation.data
  const fieldErrors = result && !result.ok ? result.error.fieldErrors : {}

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    mutation.mutate(values)
  }

  function field(name: keyof FormValues, label: string, placeholder?: string) {
    const errors = fieldErrors[name]
    return (
      <label className="block text-sm font-medium text-slate-700">
        {label}
        {name === 'body' ? (
          <textarea
            name={name}
            rows={3}
            value={values[name]}
            onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            className={`${inputClass} font-mono`}
            aria-invalid={errors ? true : undefined}
          />
        ) : (
          <input
            name={name}
            value={values[name]}
            placeholder={placeholder}
            onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            className={inputClass}
            aria-invalid={errors ? true : undefined}
          />
        )}
        {errors?.map((message) => (
          <span key={message} className="mt-1 block text-xs text-red-700">
            {message}
          </span>
        ))}
      </label>
    )
  }

  return (
    <section
      aria-labelledby="send-test-title"
      className="rounded-lg border border-slate-200 bg-white shadow-sm"
    >
      <header className="border-b border-slate-200 px-5 py-3">
        <h2 id="send-test-title" className="text-base font-semibold">
          Send test message
        </h2>
      </header>
      <form onSubmit={onSubmit} className="space-y-4 px-5 py-4" noValidate>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          {field('topic', 'Topic')}
          {field('tag', 'Tag', 'optional')}
          {field('keys', 'Keys', 'optional, space separated')}
        </div>
        {field('body', 'Body')}
        <div className="flex items-center gap-3">
          <button
            type="submit"
            disabled={mutation.isPending}
            className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 disabled:cursor-wait disabled:opacity-60"
          >
            {mutation.isPending ? 'Sending…' : 'Send'}
          </button>
          {mutation.isError && (
            <span role="alert" className="text-sm text-red-700">
              The request failed: {mutation.error.message}
            </span>
          )}
        </div>
      </form>
      {result &&
        (result.ok ? (
          <dl
            data-testid="send-result"
            className="grid grid-cols-2 gap-x-6 gap-y-2 border-t border-slate-200 bg-emerald-50/60 px-5 py-4 text-sm sm:grid-cols-4"
          >
            <div>
              <dt className="text-xs font-medium text-slate-500">Status</dt>
              <dd className="font-semibold">{result.data.status}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500">commitLogOffset</dt>
              <dd className="font-semibold tabular-nums" data-testid="send-result-commit-log-offset">
                {formatInteger(result.data.commitLogOffset)}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500">
                queueOffset (queue {result.data.queueId})
              </dt>
              <dd className="font-semibold tabular-nums">{formatInteger(result.data.queueOffset)}</dd>
            </div>
            <div className="col-span-2 sm:col-span-4">
              <dt className="text-xs font-medium text-slate-500">Message id (offset msgId)</dt>
              <dd className="break-all font-mono" data-testid="send-result-msg-id">
                {result.data.msgId}
              </dd>
            </div>
            <div className="col-span-2 sm:col-span-4">
              <dt className="text-xs font-medium text-slate-500">Unique key (UNIQ_KEY)</dt>
              <dd className="break-all font-mono">{result.data.uniqKey}</dd>
            </div>
          </dl>
        ) : (
          <div
            role="alert"
            data-testid="send-error"
            className="border-t border-red-200 bg-red-50 px-5 py-3 text-sm text-red-800"
          >
            <span className="font-mono font-semibold">{result.error.code}</span>: {result.error.message}
          </div>
        ))}
    </section>
  )
}
