'use client'
// The Clusters page's body: the connections table (test, remove) and the add form. After a change the server
// action revalidates the layout, so this table and the header's cluster switcher show it at once.
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, useTransition, type FormEvent, type ReactNode } from 'react'
import type { ActionResult } from '@/app/action-result'
import { Badge } from '@/app/_components/badge'
import { newIntentKey } from '@/app/_lib/intent-key'
import type { ClusterConnectionView } from '@/lib/cluster/registry'
import type { TestConnectionResult } from '@/lib/console/test-connection'
import { addClusterAction, removeClusterAction, testConnectionAction } from './actions'

type Notice = { tone: 'ok' | 'error'; text: string } | undefined

function describeTest(result: ActionResult<TestConnectionResult>): Notice {
  if (!result.ok) return { tone: 'error', text: result.error.message }
  const parts = result.data.nameServers.map((ns) =>
    ns.reachable
      ? `${ns.addr} reachable (${ns.latencyMs ?? '?'} ms)`
      : `${ns.addr} unreachable${ns.error ? `: ${ns.error}` : ''}`,
  )
  return {
    tone: result.data.reachable ? 'ok' : 'error',
    text: parts.join('; ') || 'no NameServer configured',
  }
}

export function ClustersView({
  clusters,
  addIntentKey,
}: {
  clusters: readonly ClusterConnectionView[]
  /** The add form's first idempotency key, made by the server render (no hydration mismatch). */
  addIntentKey: string
}) {
  return (
    <div className="space-y-6" data-testid="clusters">
      <div>
        <h1 className="text-xl font-semibold">Clusters</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Each cluster has its own URL (<span className="font-mono">/c/&lt;id&gt;/…</span>), so two tabs can
          look at two clusters and links can be shared.
        </p>
      </div>
      <ConnectionsTable clusters={clusters} />
      <AddClusterForm initialIntentKey={addIntentKey} />
    </div>
  )
}

function ConnectionsTable({ clusters }: { clusters: readonly ClusterConnectionView[] }) {
  return (
    <section className="panel overflow-x-auto" aria-labelledby="connections-heading">
      <h2 id="connections-heading" className="panel-title">
        Connections
      </h2>
      <table className="w-full text-sm" data-testid="clusters-table">
        <thead className="text-left text-xs text-slate-500 uppercase dark:text-slate-400">
          <tr>
            {['Id', 'Name', 'Kind', 'NameServers', 'Access', 'Credentials', ''].map((h) => (
              <th key={h} scope="col" className="px-2 py-1 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => (
            <ConnectionRow key={c.id} cluster={c} />
          ))}
        </tbody>
      </table>
    </section>
  )
}

function ConnectionRow({ cluster }: { cluster: ClusterConnectionView }) {
  const [pending, startTransition] = useTransition()
  const [confirming, setConfirming] = useState(false)
  // One key per removal intent: made when Remove opens the confirmation, so a double click on Confirm acts once.
  const [removeKey, setRemoveKey] = useState('')
  const [notice, setNotice] = useState<Notice>(undefined)
  const router = useRouter()

  const test = () =>
    startTransition(async () =>
      setNotice(describeTest(await testConnectionAction({ clusterId: cluster.id }))),
    )
  const remove = () =>
    startTransition(async () => {
      const result = await removeClusterAction(cluster.id, removeKey)
      if (result.ok) router.refresh()
      else setNotice({ tone: 'error', text: result.error.message })
      setConfirming(false)
    })

  return (
    <tr className="border-t border-slate-100 align-top dark:border-slate-800" data-cluster-id={cluster.id}>
      <td className="px-2 py-2 font-mono text-xs">
        <Link href={`/c/${encodeURIComponent(cluster.id)}`} className="text-link">
          {cluster.id}
        </Link>
      </td>
      <td className="px-2 py-2">{cluster.name}</td>
      <td className="px-2 py-2">
        <Badge tone={cluster.kind === 'embedded' ? 'info' : 'neutral'}>{cluster.kind}</Badge>
      </td>
      <td className="px-2 py-2 font-mono text-xs">
        {cluster.kind === 'embedded' ? 'in-process engine' : cluster.namesrvAddrs.join('; ')}
      </td>
      <td className="px-2 py-2">
        {cluster.readOnly ? (
          <Badge tone="warning">read-only</Badge>
        ) : (
          <Badge tone="success">read-write</Badge>
        )}
      </td>
      <td className="px-2 py-2 text-xs">{cluster.hasCredentials ? 'ACL key stored' : '–'}</td>
      <td className="px-2 py-2">
        <div className="flex flex-wrap items-center justify-end gap-2">
          <button type="button" className="control-button" onClick={test} disabled={pending}>
            Test connection
          </button>
          {cluster.kind === 'remote' &&
            (confirming ? (
              <>
                <button type="button" className="control-button-danger" onClick={remove} disabled={pending}>
                  Confirm remove
                </button>
                <button
                  type="button"
                  className="control-button"
                  onClick={() => setConfirming(false)}
                  disabled={pending}
                >
                  Cancel
                </button>
              </>
            ) : (
              <button
                type="button"
                className="control-button-danger"
                onClick={() => {
                  setRemoveKey(newIntentKey())
                  setConfirming(true)
                }}
                disabled={pending}
              >
                Remove
              </button>
            ))}
        </div>
        {notice && (
          <p
            role="status"
            className={`mt-1 text-right text-xs ${notice.tone === 'ok' ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
            data-testid="connection-test-result"
          >
            {notice.text}
          </p>
        )}
      </td>
    </tr>
  )
}

interface FormFields {
  id: string
  name: string
  namesrvAddrs: string
  readOnly: boolean
  accessKey: string
  secretKey: string
}

const EMPTY_FORM: FormFields = {
  id: '',
  name: '',
  namesrvAddrs: '',
  readOnly: false,
  accessKey: '',
  secretKey: '',
}

function AddClusterForm({ initialIntentKey }: { initialIntentKey: string }) {
  const [fields, setFields] = useState<FormFields>(EMPTY_FORM)
  // The idempotency key of this add intent: a resubmit (double click, retry after an error) reuses it; a
  // success starts a new intent with a new key.
  const [intentKey, setIntentKey] = useState(initialIntentKey)
  const [fieldErrors, setFieldErrors] = useState<Readonly<Record<string, readonly string[]>>>({})
  const [notice, setNotice] = useState<Notice>(undefined)
  const [pending, startTransition] = useTransition()
  const router = useRouter()
  const set = <K extends keyof FormFields>(key: K, value: FormFields[K]) =>
    setFields((f) => ({ ...f, [key]: value }))

  const input = () => ({
    ...fields,
    accessKey: fields.accessKey || undefined,
    secretKey: fields.secretKey || undefined,
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    startTransition(async () => {
      const result = await addClusterAction(input(), intentKey)
      if (result.ok) {
        setIntentKey(newIntentKey())
        setFields(EMPTY_FORM)
        setFieldErrors({})
        setNotice({ tone: 'ok', text: `Added ${result.data.id}: it is in the cluster switcher now.` })
        router.refresh()
      } else {
        setFieldErrors(result.error.fieldErrors)
        setNotice({ tone: 'error', text: result.error.message })
      }
    })
  }
  const test = () =>
    startTransition(async () => {
      const { namesrvAddrs, accessKey, secretKey } = input()
      setNotice(describeTest(await testConnectionAction({ namesrvAddrs, accessKey, secretKey })))
    })

  return (
    <section className="panel" aria-labelledby="add-heading">
      <h2 id="add-heading" className="panel-title">
        Add a remote cluster
      </h2>
      <form onSubmit={submit} className="grid gap-3 md:grid-cols-2" data-testid="add-cluster-form" noValidate>
        <input type="hidden" name="idempotencyKey" value={intentKey} />
        <Field
          label="Id"
          hint="lowercase letters, digits and dashes; it becomes the URL (/c/<id>)"
          errors={fieldErrors.id}
        >
          <input
            name="id"
            required
            value={fields.id}
            onChange={(e) => set('id', e.target.value)}
            className="control-input w-full font-mono"
            placeholder="prod-east"
            autoComplete="off"
          />
        </Field>
        <Field label="Name" errors={fieldErrors.name}>
          <input
            name="name"
            required
            value={fields.name}
            onChange={(e) => set('name', e.target.value)}
            className="control-input w-full"
            placeholder="Production (east)"
            autoComplete="off"
          />
        </Field>
        <Field
          label="NameServer addresses"
          hint="host:port, separated by ; as in RocketMQ"
          errors={fieldErrors.namesrvAddrs}
        >
          <input
            name="namesrvAddrs"
            required
            value={fields.namesrvAddrs}
            onChange={(e) => set('namesrvAddrs', e.target.value)}
            className="control-input w-full font-mono"
            placeholder="10.0.0.1:9876;10.0.0.2:9876"
            autoComplete="off"
          />
        </Field>
        <Field label="Access" errors={fieldErrors.readOnly} group>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="readOnly"
              checked={fields.readOnly}
              onChange={(e) => set('readOnly', e.target.checked)}
              className="size-4 rounded focus-visible:ring-2 focus-visible:ring-sky-500"
            />
            Read-only (the console refuses changes to this cluster)
          </label>
        </Field>
        <Field label="ACL access key (optional)" errors={fieldErrors.accessKey}>
          <input
            name="accessKey"
            value={fields.accessKey}
            onChange={(e) => set('accessKey', e.target.value)}
            className="control-input w-full font-mono"
            autoComplete="off"
          />
        </Field>
        <Field
          label="ACL secret key (optional)"
          hint="stored on the server, never shown again"
          errors={fieldErrors.secretKey}
        >
          <input
            type="password"
            name="secretKey"
            value={fields.secretKey}
            onChange={(e) => set('secretKey', e.target.value)}
            className="control-input w-full font-mono"
            autoComplete="new-password"
          />
        </Field>
        <div className="flex flex-wrap items-center gap-2 md:col-span-2">
          <button type="submit" className="control-button-primary" disabled={pending}>
            Add cluster
          </button>
          <button
            type="button"
            className="control-button"
            onClick={test}
            disabled={pending || fields.namesrvAddrs.trim() === ''}
          >
            Test connection
          </button>
          {pending && <span className="text-xs text-slate-500">working…</span>}
          {notice && (
            <span
              role="status"
              data-testid="add-cluster-result"
              className={`text-sm ${notice.tone === 'ok' ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}
            >
              {notice.text}
            </span>
          )}
        </div>
      </form>
    </section>
  )
}

function Field(props: {
  label: string
  hint?: string
  errors: readonly string[] | undefined
  /** The child brings its own <label> (a checkbox): group it instead of wrapping it in another label. */
  group?: boolean
  children: ReactNode
}) {
  const labelClass = 'flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400'
  return (
    <div className="flex flex-col gap-1">
      {props.group ? (
        <fieldset className={labelClass}>
          <legend className="mb-1">{props.label}</legend>
          {props.children}
        </fieldset>
      ) : (
        <label className={labelClass}>
          {props.label}
          {props.children}
        </label>
      )}
      {props.hint && <span className="text-xs text-slate-500">{props.hint}</span>}
      {props.errors?.map((e) => (
        <span key={e} className="text-xs text-red-700 dark:text-red-400">
          {e}
        </span>
      ))}
    </div>
  )
}
