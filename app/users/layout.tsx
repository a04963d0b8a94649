// /users is for admins: no session → /login?next=/users; a lower role sees the FORBIDDEN page. The page checks
// again before it reads anything, since a layout does not stop its page from rendering.
import type { ReactNode } from 'react'
import { Forbidden } from '@/app/_components/forbidden'
import { pageActor } from '@/app/_lib/auth-guard'
import { roleAllows } from '@/lib/auth/roles'

export default async function UsersLayout({ children }: { children: ReactNode }) {
  const actor = await pageActor()
  if (!roleAllows(actor.role, 'admin')) return <Forbidden minRole="admin" role={actor.role} />
  return children
}
