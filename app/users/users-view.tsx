'use client'
// The Users page's body: the accounts table (change role, reset password, delete with a confirmation) and the
// create form. Every change is a server action with an idempotency key per intent: a double click acts once.
import { useRouter } from 'next/navigation'
import { useState, useTransition, type FormEvent } from 'react'
import type { ActionResult } from '@/app/action-result'
import { Time } from '@/app/_components/time-zone'
import { newIntentKey } from '@/app/_lib/intent-key'
import { ROLES, type Role } from '@/lib/auth/roles'
import type { UserView } from '@/lib/auth/users'
import { createUserAction, deleteUserAction, setPasswordAction, setRoleAction } from './actions'

type Notice = { tone: 'ok' | 'error'; text: string } | undefined

function NoticeLine({ notice, testId }: { notice: Notice; testId: string }) {
  if (!notice) return null
  return (
    <p
      role={notice.tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      className={`text-sm ${notice.tone === 'error' ? 'text-red-700 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'}`}
    >
      {notice.text}
    </p>
  )
}

function noticeOf<T>(result: ActionResult<T>, ok: string): Notice {
  if (result.ok) return { tone: 'ok', text: ok }
  const fields = Object.entries(result.error.fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ')
  return { tone: 'error', text: fields || result.error.message }
}

export function UsersView({ users, currentUserId }: { users: readonly UserView[]; currentUserId: number }) {
  return (
    <div className="space-y-6" data-testid="users">
      <div>
        <h1 className="text-xl font-semibold">Users</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          viewer reads; operator also resends, resets offsets, sends test messages and ends transactions;
          admin also manages topics, groups, clusters and users. Every check happens on the server.
        </p>
      </div>
      <section className="panel overflow-x-auto" aria-labelledby="users-heading">
        <h2 id="users-heading" className="panel-title">
          Accounts
        </h2>
        <table className="w-full text-sm" data-testid="users-table">
          <thead className="text-left text-xs text-slate-500 uppercase dark:text-slate-400">
            <tr>
              {['Username', 'Role', 'Created', 'Password', ''].map((h) => (
                <th key={h} scope="col" className="px-2 py-1 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} isSelf={user.id === currentUserId} />
            ))}
          </tbody>
        </table>
      </section>
      <CreateUserForm />
    </div>
  )
}

function UserRow({ user, isSelf }: { user: UserView; isSelf: boolean }) {
  const router = useRouter()
  const [pending, startTransition] = useTransition()
  const [notice, setNotice] = useState<Notice>(undefined)
  const [password, setPassword] = useState('')
  const [confirming, setConfirming] = useState(false)
  // One key per intent; a new one after each success.
  const [roleKey, setRoleKey] = useState(newIntentKey)
  const [passwordKey, setPasswordKey] = useState(newIntentKey)
  const [deleteKey, setDeleteKey] = useState('')

  const changeRole = (role: Role) =>
    startTransition(async () => {
      const result = await setRoleAction({ userId: user.id, role }, roleKey)
      setNotice(noticeOf(result, `${user.username} is now ${role}`))
      if (result.ok) {
        setRoleKey(newIntentKey())
        router.refresh()
      }
    })
  const resetPassword = (event: FormEvent) => {
    event.preventDefault()
    startTransition(async () => {
      const result = await setPasswordAction({ userId: user.id, password }, passwordKey)
      setNotice(noticeOf(result, `password of ${user.username} reset; their sessions ended`))
      if (result.ok) {
        setPassword('')
        setPasswordKey(newIntentKey())
      }
    })
  }
  const remove = () =>
    startTransition(async () => {
      const result = await deleteUserAction(user.id, deleteKey)
      setConfirming(false)
      if (result.ok) router.refresh()
      else setNotice(noticeOf(result, ''))
    })

  return (
    <tr
      className="border-t border-slate-100 align-top dark:border-slate-800"
      data-testid={`user-row-${user.username}`}
    >
      <td className="px-2 py-2 font-mono">
        {user.username}
        {isSelf && <span className="ml-1 text-xs text-slate-500">(you)</span>}
      </td>
      <td className="px-2 py-2">
        <select
          aria-label={`Role of ${user.username}`}
          className="control-input"
          value={user.role}
          disabled={pending}
          onChange={(event) => changeRole(event.target.value as Role)}
          data-testid={`user-role-${user.username}`}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td className="px-2 py-2 text-xs">
        <Time ms={user.createdAtMs} />
      </td>
      <td className="px-2 py-2">
        <form onSubmit={resetPassword} className="flex items-center gap-1">
          <input
            type="password"
            autoComplete="new-password"
            aria-label={`New password for ${user.username}`}
            placeholder="new password (10+)"
            className="control-input w-40"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <button type="submit" className="control-button" disabled={pending || password.length === 0}>
            Reset
          </button>
        </form>
        <NoticeLine notice={notice} testId={`user-notice-${user.username}`} />
      </td>
      <td className="px-2 py-2 text-right">
        {confirming ? (
          <span className="inline-flex gap-1">
            <button type="button" className="control-button-danger" disabled={pending} onClick={remove}>
              Delete {user.username}
            </button>
            <button type="button" className="control-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="control-button"
            onClick={() => {
              setDeleteKey(newIntentKey())
              setConfirming(true)
            }}
            data-testid={`user-delete-${user.username}`}
          >
            Delete
          </button>
        )}
      </td>
    </tr>
  )
}

function CreateUserForm() {
  const router = useRouter()
  const [pending, startTransition] = useTransition()
  const [notice, setNotice] = useState<Notice>(undefined)
  const [fields, setFields] = useState({ username: '', password: '', role: 'viewer' as Role })
  // A resubmit (double click, retry after an error) reuses the key; a success starts a new intent.
  const [intentKey, setIntentKey] = useState(newIntentKey)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    startTransition(async () => {
      const result = await createUserAction(fields, intentKey)
      setNotice(noticeOf(result, `created ${fields.username} (${fields.role})`))
      if (result.ok) {
        setFields({ username: '', password: '', role: 'viewer' })
        setIntentKey(newIntentKey())
        router.refresh()
      }
    })
  }

  return (
    <section className="panel" aria-labelledby="create-user-heading">
      <h2 id="create-user-heading" className="panel-title">
        Create a user
      </h2>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="create-user-form">
        <label className="flex flex-col gap-1 text-sm">
          Username
          <input
            name="username"
            required
            className="control-input"
            value={fields.username}
            onChange={(event) => setFields({ ...fields, username: event.target.value })}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            className="control-input"
            value={fields.password}
            onChange={(event) => setFields({ ...fields, password: event.target.value })}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Role
          <select
            name="role"
            className="control-input"
            value={fields.role}
            onChange={(event) => setFields({ ...fields, role: event.target.value as Role })}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="control-button-primary"
          disabled={pending}
          data-testid="create-user-submit"
        >
          {pending ? 'Creating…' : 'Create'}
        </button>
      </form>
      <NoticeLine notice={notice} testId="create-user-notice" />
    </section>
  )
}
