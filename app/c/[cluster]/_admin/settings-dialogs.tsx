'use client'
// The create and edit dialogs topics and groups share: a name (create only), the resource's own settings fields
// and, on create, where it goes. Each resource passes its fields component and its server action.
import { useRouter } from 'next/navigation'
import { useState, type ComponentType, type ReactNode } from 'react'
import type { ActionError, ActionResult } from '@/app/action-result'
import {
  AdminDialog,
  NO_PLACEMENT,
  PlacementFields,
  placementInput,
  TextField,
  useAdminForm,
} from './admin-form'
import { errorsOf } from './dialog-parts'

/** A resource's settings inputs; ids start with `idPrefix`, errors come from the server's field errors. */
export type SettingsFieldsComponent<S> = ComponentType<{
  idPrefix: string
  value: S
  onChange: (value: S) => void
  error: ActionError | undefined
}>

type Kind = 'topic' | 'group'

/** "Create <kind>": test ids `create-<kind>`, `create-<kind>-name`, ...; opens the new resource's page after. */
export function CreateDialog<S>({
  kind,
  title,
  nameHint,
  initial,
  Fields,
  create,
  pathOf,
  note,
}: {
  kind: Kind
  title: string
  nameHint?: string
  initial: S
  Fields: SettingsFieldsComponent<S>
  /** The create action; `name` is the field as typed (the server trims and checks it). */
  create: (input: {
    idempotencyKey: string
    name: string
    settings: S
    clusterName: string | undefined
    brokerNames: string[]
  }) => Promise<ActionResult<unknown>>
  pathOf: (name: string) => string
  note?: ReactNode
}) {
  const form = useAdminForm()
  const router = useRouter()
  const [name, setName] = useState('')
  const [settings, setSettings] = useState<S>(initial)
  const [placement, setPlacement] = useState(NO_PLACEMENT)
  const testId = `create-${kind}`
  const submit = form.submit(
    (idempotencyKey) => create({ idempotencyKey, name, settings, ...placementInput(placement) }),
    () => {
      form.dialog.close()
      router.push(pathOf(name.trim()))
    },
  )
  return (
    <AdminDialog
      form={form}
      testId={testId}
      buttonLabel={`Create ${kind}`}
      buttonClassName="control-button-primary"
      title={title}
      onSubmit={submit}
      submitLabel="Create"
    >
      <TextField
        id={`${testId}-name`}
        label="Name"
        errors={errorsOf(form.error, kind)}
        hint={nameHint}
        value={name}
        onChange={setName}
        autoFocus
      />
      <Fields idPrefix={testId} value={settings} onChange={setSettings} error={form.error} />
      <PlacementFields idPrefix={testId} value={placement} onChange={setPlacement} error={form.error} />
      {note}
    </AdminDialog>
  )
}

/** "Edit": test ids `edit-<kind>`, ...; the form starts from `initial` on every opening, the page reloads after. */
export function EditDialog<S>({
  kind,
  name,
  initial,
  Fields,
  update,
  note,
}: {
  kind: Kind
  name: string
  initial: () => S
  Fields: SettingsFieldsComponent<S>
  update: (input: { idempotencyKey: string; settings: S }) => Promise<ActionResult<unknown>>
  note?: ReactNode
}) {
  const form = useAdminForm()
  const router = useRouter()
  const [settings, setSettings] = useState<S>(initial)
  const testId = `edit-${kind}`
  const submit = form.submit(
    (idempotencyKey) => update({ idempotencyKey, settings }),
    () => {
      form.dialog.close()
      router.refresh()
    },
  )
  return (
    <AdminDialog
      form={form}
      testId={testId}
      buttonLabel="Edit"
      title={`Edit ${name}`}
      onOpen={() => setSettings(initial())}
      onSubmit={submit}
      submitLabel="Save"
    >
      <Fields idPrefix={testId} value={settings} onChange={setSettings} error={form.error} />
      {note}
    </AdminDialog>
  )
}
