'use client'
// Consumer group admin dialogs: "Create group" on the Groups list; "Edit" (retry policy, consumeEnable,
// broadcast, orderly) and "Delete" (impact preview, type the name, remove offsets / %RETRY% and %DLQ% topics) on
// a group's page. One idempotency key per dialog opening; server field errors show next to their fields.
import Link from 'next/link'
import { useState } from 'react'
import type { ActionError } from '@/app/action-result'
import { groupPath, sectionPath, topicPath } from '@/app/_components/console-path'
import { formatInteger } from '@/app/_components/format'
import type { ConsumerGroupConfig } from '@/lib/cluster/gateway'
import type { GroupDeleteImpact } from '@/lib/console/group-admin'
import { TextField } from '../../_admin/admin-form'
import { DeleteDialog, ImpactPartial } from '../../_admin/delete-dialog'
import { CreateDialog, EditDialog } from '../../_admin/settings-dialogs'
import { Checkbox, errorsOf, numberOf } from '../../_admin/dialog-parts'
import {
  createGroupAction,
  deleteGroupAction,
  groupImpactAction,
  updateGroupAction,
} from './group-admin-actions'

interface GroupSettings {
  retryMaxTimes: string
  retryQueueNums: string
  consumeEnable: boolean
  consumeBroadcastEnable: boolean
  consumeMessageOrderly: boolean
}

function settingsOf(config: ConsumerGroupConfig | undefined): GroupSettings {
  return {
    retryMaxTimes: String(config?.retryMaxTimes ?? 16),
    retryQueueNums: String(config?.retryQueueNums ?? 1),
    consumeEnable: config?.consumeEnable ?? true,
    consumeBroadcastEnable: config?.consumeBroadcastEnable ?? false,
    consumeMessageOrderly: config?.consumeMessageOrderly ?? false,
  }
}

function settingsInput(v: GroupSettings) {
  return { ...v, retryMaxTimes: numberOf(v.retryMaxTimes), retryQueueNums: numberOf(v.retryQueueNums) }
}

function SettingsFields({
  idPrefix,
  value,
  onChange,
  error,
}: {
  idPrefix: string
  value: GroupSettings
  onChange: (value: GroupSettings) => void
  error: ActionError | undefined
}) {
  const field = (name: 'retryMaxTimes' | 'retryQueueNums') => ({
    id: `${idPrefix}-${name}`,
    errors: errorsOf(error, name),
    type: 'number',
    className: 'control-input w-full',
    max: 64,
    value: value[name],
    onChange: (text: string) => onChange({ ...value, [name]: text }),
  })
  return (
    <>
      <div className="grid grid-cols-2 gap-3">
        <TextField
          {...field('retryMaxTimes')}
          label="Max retries"
          hint="before the DLQ; −1: none, 16 default"
          min={-1}
        />
        <TextField {...field('retryQueueNums')} label="Retry queues" hint="queues of %RETRY%group" min={0} />
      </div>
      <Checkbox
        id={`${idPrefix}-consumeEnable`}
        label="Consume enabled"
        checked={value.consumeEnable}
        onChange={(consumeEnable) => onChange({ ...value, consumeEnable })}
        hint="off: the brokers stop delivering to this group"
      />
      <Checkbox
        id={`${idPrefix}-broadcast`}
        label="Broadcast"
        checked={value.consumeBroadcastEnable}
        onChange={(consumeBroadcastEnable) => onChange({ ...value, consumeBroadcastEnable })}
      />
      <Checkbox
        id={`${idPrefix}-orderly`}
        label="Orderly"
        checked={value.consumeMessageOrderly}
        onChange={(consumeMessageOrderly) => onChange({ ...value, consumeMessageOrderly })}
      />
    </>
  )
}

export function CreateGroupButton({ cluster }: { cluster: string }) {
  return (
    <CreateDialog
      kind="group"
      title="Create consumer group"
      initial={settingsOf(undefined)}
      Fields={SettingsFields}
      create={({ name, settings, ...rest }) =>
        createGroupAction(cluster, { ...rest, group: name, ...settingsInput(settings) })
      }
      pathOf={(group) => groupPath(cluster, group)}
    />
  )
}

/** The group a page's admin buttons act on. */
export interface GroupAdminTarget {
  cluster: string
  group: string
  config: ConsumerGroupConfig | undefined
}

/** The group page's admin buttons, shown to admins only (the server checks anyway). */
export function GroupAdminBar(target: GroupAdminTarget) {
  return (
    <div className="flex flex-wrap justify-end gap-2" data-testid="group-admin-bar">
      <EditGroupButton {...target} />
      <DeleteGroupButton cluster={target.cluster} group={target.group} />
    </div>
  )
}

function EditGroupButton({ cluster, group, config }: GroupAdminTarget) {
  return (
    <EditDialog
      kind="group"
      name={group}
      initial={() => settingsOf(config)}
      Fields={SettingsFields}
      update={({ idempotencyKey, settings }) =>
        updateGroupAction(cluster, { idempotencyKey, group, ...settingsInput(settings) })
      }
    />
  )
}

function DeleteGroupButton({ cluster, group }: { cluster: string; group: string }) {
  const [removeOffsets, setRemoveOffsets] = useState(false)
  const [deleteTopics, setDeleteTopics] = useState(false)
  return (
    <DeleteDialog
      kind="group"
      name={group}
      loadImpact={() => groupImpactAction(cluster, { group })}
      renderImpact={(impact) => <GroupImpact impact={impact} cluster={cluster} />}
      remove={(input) =>
        deleteGroupAction(cluster, { ...input, group, removeOffsets, deleteRetryAndDlqTopics: deleteTopics })
      }
      listPath={sectionPath(cluster, 'groups')}
      onOpen={() => {
        setRemoveOffsets(false)
        setDeleteTopics(false)
      }}
    >
      <Checkbox
        id="delete-group-offsets"
        label="Remove its offsets"
        checked={removeOffsets}
        onChange={setRemoveOffsets}
        hint="a group created again later starts from its consumeFromWhere"
      />
      <Checkbox
        id="delete-group-topics"
        label={`Delete %RETRY%${group} and %DLQ%${group}`}
        checked={deleteTopics}
        onChange={setDeleteTopics}
        hint="their messages are lost"
      />
    </DeleteDialog>
  )
}

function GroupImpact({ impact, cluster }: { impact: GroupDeleteImpact; cluster: string }) {
  const owned = [impact.retryTopic, impact.dlqTopic].filter((t) => t.exists)
  return (
    <>
      <p>
        {impact.online ? (
          <strong className="text-amber-700 dark:text-amber-400">
            {impact.memberClientIds.length} member(s) online: {impact.memberClientIds.join(', ')}
          </strong>
        ) : (
          'No member is online.'
        )}{' '}
        Total lag: <strong>{formatInteger(impact.totalLag)}</strong>.
      </p>
      <ImpactPartial failures={impact.failures} />
      {impact.topics.length > 0 && (
        <table className="w-full text-left text-sm" data-testid="delete-group-topics">
          <caption className="pb-1 text-left font-medium">Topics it consumes</caption>
          <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="text-right">
                Lag
              </th>
            </tr>
          </thead>
          <tbody>
            {impact.topics.map((t) => (
              <tr key={t.topic} className="border-t border-slate-100 dark:border-slate-800">
                <td className="font-mono">
                  <Link href={topicPath(cluster, t.topic)} className="text-link">
                    {t.topic}
                  </Link>
                </td>
                <td className="text-right tabular-nums">{formatInteger(t.lag)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        {owned.length === 0
          ? 'It has no %RETRY% or %DLQ% topic.'
          : `With the option below, ${owned
              .map(
                (t) =>
                  `${t.topic} (${t.messageCount === undefined ? '?' : formatInteger(t.messageCount)} messages)`,
              )
              .join(' and ')} go too.`}
      </p>
    </>
  )
}
