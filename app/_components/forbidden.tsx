// What a logged-in user sees on a page their role does not allow (the server decided; nothing was loaded).
import Link from 'next/link'
import type { Role } from '@/lib/auth/roles'

export function Forbidden({ minRole, role }: { minRole: Role; role: Role }) {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12" data-testid="forbidden">
      <h1 className="text-xl font-semibold">FORBIDDEN</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        This page needs the <strong>{minRole}</strong> role; you are <strong>{role}</strong>. Ask an admin if
        you need it.
      </p>
      <Link
        href="/"
        className="mt-4 inline-block rounded text-sm text-sky-700 underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none dark:text-sky-400"
      >
        Back to the console
      </Link>
    </main>
  )
}
