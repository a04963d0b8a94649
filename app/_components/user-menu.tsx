'use client'
// The header's account corner: who is logged in, with which role, a link to Users for admins, and "Log out"
// (a form posting the logout server action, so it works before hydration too).
import Link from 'next/link'
import { logoutAction } from '@/app/login/actions'
import type { Role } from '@/lib/auth/roles'

export interface HeaderUser {
  readonly username: string
  readonly role: Role
}

export function UserMenu({ user }: { user: HeaderUser }) {
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="user-menu">
      <span
        className="text-slate-600 dark:text-slate-300"
        title={`Logged in as ${user.username} (${user.role})`}
      >
        <span data-testid="user-name" className="font-medium">
          {user.username}
        </span>{' '}
        <span data-testid="user-role" className="text-xs text-slate-500 dark:text-slate-400">
          {user.role}
        </span>
      </span>
      {user.role === 'admin' && (
        <Link
          href="/users"
          className="rounded text-xs text-sky-700 underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
        >
          Users
        </Link>
      )}
      <form action={logoutAction}>
        <button type="submit" className="control-button" data-testid="logout">
          Log out
        </button>
      </form>
    </div>
  )
}
