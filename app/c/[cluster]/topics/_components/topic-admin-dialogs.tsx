'use client'
// Topic admin dialogs: "Create topic" on the Topics list; "Edit", "Delete" (impact preview, type the name) and
// "Send test message" on a topic's page. Each dialog makes one idempotency key when it opens, so a double click
// or a retry after a timeout is one intent; field errors from the server show next to their fields.
import Link from 'next/link'
import { useState } from 'react'
import type { ActionError } from '@/app/action-result'
import { groupPath, sectionPath, topicPath } from '@/app/_components/console-path'
import { formatInteger, formatRate } from '@/app/_components/format'
import type { SendOutcome, TopicSummary } from '@/lib/cluster/gateway'
import type { TopicDeleteImpact, TopicFormMessageType, TopicPerm } from '@/lib/console/topic-admin'
import { AdminDialog, TextField, useAdminForm } from '../../_admin/admin-form'
import { DeleteDialog, ImpactPartial } from '../../_admin/delete-dialog'
import { CreateDialog, EditDialog } from '../../_admin/settings-dialogs'
import { describedBy, errorsOf, Field, FieldErrors, numberOf, splitList } from '../../_admin/dialog-parts'
import {
  createTopicAction,
  deleteTopicAction,
  sendTestMessageAction,
  topicImpactAction,
  updateTopicAction,
} from './topic-admin-actions'
import { DELAY_LEVEL_LABELS } from './delay-levels'

const PERMS: readonly { value: TopicPerm; label: string }[] = [
  { value: 'RW', label: 'RW (read and write)' },
  { value: 'R', label: 'R (read only)' },
  { value: 'W', label: 'W (write only)' },
]
const MESSAGE_TYPES: readonly TopicFormMessageType[] = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION']

interface TopicSettings {
  readQueueNums: string
  writeQueueNums: string
  perm: TopicPerm
  messageType: TopicFormMessageType
}

function permOf(bits: number | undefined): TopicPerm {
  const rw = (bits ?? 6) & 6
  return rw === 4 ? 'R' : rw === 2 ? 'W' : 'RW'
}

function settingsOf(config: TopicSummary | undefined): TopicSettings {
  const type = config?.messageType
  return {
    readQueueNums: String(config?.readQueueNums ?? 4),
    writeQueueNums: String(config?.writeQueueNums ?? 4),
    perm: permOf(config?.brokers[0]?.perm),
    messageType: type === 'FIFO' || type === 'DELAY' || type === 'TRANSACTION' ? type : 'NORMAL',
  }
}

function SettingsFields({
  idPrefix,
  value,
  onChange,
  error,
}: {
  idPrefix: string
  value: TopicSettings
  onChange: (value: TopicSettings) => void
  error: ActionError | undefined
}) {
  const field = <K extends keyof TopicSettings>(name: K) => ({
    name,
    id: `${idPrefix}-${name}`,
    errors: errorsOf(error, name),
  })
  const read = field('readQueueNums')
  const write = field('writeQueueNums')
  const perm = field('perm')
  const type = field('messageType')
  return (
    <>
      <div className="grid grid-cols-2 gap-3">
        {[read, write].map((f) => (
          <TextField
            key={f.name}
            id={f.id}
            label={f.name === 'readQueueNums' ? 'Read queues' : 'Write queues'}
            errors={f.errors}
            type="number"
            min={1}
            max={1024}
            className="control-input w-full"
            value={value[f.name]}
            onChange={(text) => onChange({ ...value, [f.name]: text })}
          />
        ))}
      </div>
      <div className="grid grid-cols-2 gap-3">
        <Field id={perm.id} label="Permission" errors={perm.errors}>
          <select
            id={perm.id}
            className="control-input w-full"
            value={value.perm}
            onChange={(e) => onChange({ ...value, perm: e.target.value as TopicPerm })}
            {...describedBy(perm.id, perm.errors)}
          >
            {PERMS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={type.id} label="Message type" errors={type.errors}>
          <select
            id={type.id}
            className="control-input w-full"
            value={value.messageType}
            onChange={(e) => onChange({ ...value, messageType: e.target.value as TopicFormMessageType })}
            {...describedBy(type.id, type.errors)}
          >
            {MESSAGE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </>
  )
}

function settingsInput(value: TopicSettings) {
  return {
    readQueueNums: numberOf(value.readQueueNums),
    writeQueueNums: numberOf(value.writeQueueNums),
    perm: value.perm,
    messageType: value.messageType,
  }
}

// ---------------------------------------------------------------------------------------------------------------

export function CreateTopicButton({ cluster }: { cluster: string }) {
  return (
    <CreateDialog
      kind="topic"
      title="Create topic"
      nameHint="letters, digits, _ - % |; up to 127"
      initial={settingsOf(undefined)}
      Fields={SettingsFields}
      create={({ name, settings, ...rest }) =>
        createTopicAction(cluster, { ...rest, topic: name, ...settingsInput(settings) })
      }
      pathOf={(topic) => topicPath(cluster, topic)}
      note={
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Leave both empty for every master of the only cluster.
        </p>
      }
    />
  )
}

// ---------------------------------------------------------------------------------------------------------------

/** The topic a page's admin buttons act on. */
export interface TopicAdminTarget {
  cluster: string
  topic: string
  config: TopicSummary | undefined
}

/** The topic page's admin buttons; each is shown only when the role allows it (the server checks anyway). */
export function TopicAdminBar({
  canAdmin,
  canSend,
  ...target
}: TopicAdminTarget & { canAdmin: boolean; canSend: boolean }) {
  if (!canAdmin && !canSend) return null
  return (
    <div className="flex flex-wrap justify-end gap-2" data-testid="topic-admin-bar">
      {canSend && <SendMessageButton cluster={target.cluster} topic={target.topic} />}
      {canAdmin && <EditTopicButton {...target} />}
      {canAdmin && <DeleteTopicButton cluster={target.cluster} topic={target.topic} />}
    </div>
  )
}

function EditTopicButton({ cluster, topic, config }: TopicAdminTarget) {
  return (
    <EditDialog
      kind="topic"
      name={topic}
      initial={() => settingsOf(config)}
      Fields={SettingsFields}
      update={({ idempotencyKey, settings }) =>
        updateTopicAction(cluster, { idempotencyKey, topic, ...settingsInput(settings) })
      }
      note={
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Applied on the brokers that hold the topic now
          {config ? ` (${config.brokers.map((b) => b.brokerName).join(', ')})` : ''}.
        </p>
      }
    />
  )
}

function DeleteTopicButton({ cluster, topic }: { cluster: string; topic: string }) {
  return (
    <DeleteDialog
      kind="topic"
      name={topic}
      loadImpact={() => topicImpactAction(cluster, { topic })}
      renderImpact={(impact) => <TopicImpact impact={impact} cluster={cluster} />}
      remove={(input) => deleteTopicAction(cluster, { ...input, topic })}
      listPath={sectionPath(cluster, 'topics')}
    />
  )
}

function TopicImpact({ impact, cluster }: { impact: TopicDeleteImpact; cluster: string }) {
  return (
    <>
      <p>
        Deleting removes the topic from {impact.brokerNames.join(', ') || 'its brokers'} and the NameServers,
        with{' '}
        <strong>
          {impact.messageCount === undefined ? 'an unknown number of' : formatInteger(impact.messageCount)}
        </strong>{' '}
        messages held; put TPS now:{' '}
        <strong>{impact.putTps === undefined ? 'no history' : formatRate(impact.putTps)}</strong>.
      </p>
      <ImpactPartial failures={impact.failures} />
      {impact.consumers.length === 0 ? (
        <p>No consumer group has offsets on it.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="delete-topic-consumers">
          <caption className="pb-1 text-left font-medium">
            {impact.consumers.length} subscribed group(s) lose it, with {formatInteger(impact.totalLag)}{' '}
            unconsumed
          </caption>
          <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="text-right">
                Lag
              </th>
              <th scope="col" className="text-right">
                Consume TPS
              </th>
            </tr>
          </thead>
          <tbody>
            {impact.consumers.map((c) => (
              <tr key={c.group} className="border-t border-slate-100 dark:border-slate-800">
                <td className="font-mono">
                  <Link href={groupPath(cluster, c.group)} className="text-link">
                    {c.group}
                  </Link>
                </td>
                <td className="text-right tabular-nums">{formatInteger(c.lag)}</td>
                <td className="text-right tabular-nums">{formatRate(c.consumeTps)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

// ---------------------------------------------------------------------------------------------------------------

interface PropertyRow {
  id: number
  name: string
  value: string
}

let rowSeq = 0

function SendMessageButton({ cluster, topic }: { cluster: string; topic: string }) {
  const form = useAdminForm()
  const error = form.error
  const [sent, setSent] = useState<{ outcome: SendOutcome; replayed: boolean }>()
  const [tag, setTag] = useState('')
  const [keys, setKeys] = useState('')
  const [rows, setRows] = useState<PropertyRow[]>([])
  const [delayLevel, setDelayLevel] = useState('')
  const [encoding, setEncoding] = useState<'utf8' | 'base64'>('utf8')
  const [body, setBody] = useState('')
  const again = () => {
    setSent(undefined)
    form.setError(undefined)
    form.dialog.renew()
  }
  const submit = form.submit(
    (idempotencyKey) =>
      sendTestMessageAction(cluster, {
        idempotencyKey,
        topic,
        tag: tag.trim() || undefined,
        keys: splitList(keys),
        properties: rows.map(({ name, value }) => ({ name, value })),
        delayLevel: delayLevel === '' ? undefined : Number(delayLevel),
        bodyEncoding: encoding,
        body,
      }),
    (data) => setSent({ outcome: data.outcome, replayed: data.replayed }),
  )
  const setRow = (id: number, patch: Partial<PropertyRow>) =>
    setRows((current) => current.map((r) => (r.id === id ? { ...r, ...patch } : r)))
  const tagErrors = errorsOf(error, 'tag')
  const keyErrors = errorsOf(error, 'keys', true)
  const bodyErrors = errorsOf(error, 'body')
  const delayErrors = errorsOf(error, 'delayLevel')
  const propertyErrors = errorsOf(error, 'properties')
  const messageHref = sent
    ? `/c/${encodeURIComponent(cluster)}/messages/${encodeURIComponent(sent.outcome.msgId)}?topic=${encodeURIComponent(topic)}`
    : ''
  const result = sent && (
    <div className="space-y-3 text-sm" data-testid="send-message-result">
      <p>
        {sent.replayed ? 'Already sent with this intent: ' : 'Sent '}({sent.outcome.status}) to{' '}
        {sent.outcome.brokerName} queue {sent.outcome.queueId}, offset {sent.outcome.queueOffset}.
      </p>
      <p>
        Message ID:{' '}
        <Link href={messageHref} className="text-link font-mono break-all" data-testid="send-message-link">
          {sent.outcome.msgId}
        </Link>
      </p>
      {sent.outcome.uniqKey && (
        <p className="text-slate-500 dark:text-slate-400">
          UNIQ_KEY: <span className="font-mono">{sent.outcome.uniqKey}</span>
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" className="control-button" onClick={again} data-testid="send-another">
          Send another
        </button>
        <button type="button" className="control-button-primary" onClick={form.dialog.close}>
          Done
        </button>
      </div>
    </div>
  )
  return (
    <AdminDialog
      form={form}
      testId="send-message"
      buttonLabel="Send test message"
      title={`Send a message to ${topic}`}
      wide
      onOpen={() => setSent(undefined)}
      onSubmit={submit}
      submitLabel="Send"
      result={result}
    >
      <div className="grid grid-cols-2 gap-3">
        <TextField id="send-tag" label="Tag" errors={tagErrors} value={tag} onChange={setTag} />
        <TextField
          id="send-keys"
          label="Keys"
          errors={keyErrors}
          hint="separated by spaces or commas"
          value={keys}
          onChange={setKeys}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">User properties</legend>
        {rows.map((row, index) => {
          const nameErrors = errorsOf(error, `properties.${index}.name`)
          const valueErrors = errorsOf(error, `properties.${index}.value`)
          return (
            <div key={row.id} className="space-y-1" data-testid="send-property-row">
              <div className="flex items-center gap-2">
                <input
                  aria-label={`Property ${index + 1} name`}
                  placeholder="name"
                  className="control-input w-40 font-mono"
                  value={row.name}
                  onChange={(e) => setRow(row.id, { name: e.target.value })}
                  {...describedBy(`send-property-${row.id}`, [...nameErrors, ...valueErrors])}
                />
                <span aria-hidden>=</span>
                <input
                  aria-label={`Property ${index + 1} value`}
                  placeholder="value"
                  className="control-input min-w-0 flex-1 font-mono"
                  value={row.value}
                  onChange={(e) => setRow(row.id, { value: e.target.value })}
                />
                <button
                  type="button"
                  className="control-button"
                  aria-label={`Remove property ${index + 1}`}
                  onClick={() => setRows((current) => current.filter((r) => r.id !== row.id))}
                >
                  ✕
                </button>
              </div>
              <FieldErrors id={`send-property-${row.id}-error`} messages={[...nameErrors, ...valueErrors]} />
            </div>
          )
        })}
        <FieldErrors id="send-properties-error" messages={propertyErrors} />
        <button
          type="button"
          className="control-button"
          onClick={() => setRows((current) => [...current, { id: ++rowSeq, name: '', value: '' }])}
          data-testid="send-add-property"
        >
          + Add property
        </button>
      </fieldset>
      <Field id="send-delay" label="Delay" errors={delayErrors}>
        <select
          id="send-delay"
          className="control-input"
          value={delayLevel}
          onChange={(e) => setDelayLevel(e.target.value)}
          {...describedBy('send-delay', delayErrors)}
        >
          <option value="">Deliver now</option>
          {DELAY_LEVEL_LABELS.map((label, i) => (
            <option key={label} value={i + 1}>
              Level {i + 1} — {label}
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="flex items-center gap-4 text-sm">
        <legend className="sr-only">Body encoding</legend>
        {(['utf8', 'base64'] as const).map((value) => (
          <label key={value} className="inline-flex items-center gap-1.5">
            <input
              type="radio"
              name="send-encoding"
              value={value}
              checked={encoding === value}
              onChange={() => setEncoding(value)}
            />
            {value === 'utf8' ? 'UTF-8 text' : 'Base64 bytes'}
          </label>
        ))}
      </fieldset>
      <Field id="send-body" label="Body" errors={bodyErrors}>
        <textarea
          id="send-body"
          rows={6}
          className="control-input w-full font-mono"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          {...describedBy('send-body', bodyErrors)}
        />
      </Field>
    </AdminDialog>
  )
}
