// Users (admin only): the console's accounts with their roles; create, change role, reset password, delete.
import { Forbidden } from '@/app/_components/forbidden'
import { pageActor } from '@/app/_lib/auth-guard'
import { roleAllows } from '@/lib/auth/roles'
import { listUsers } from '@/lib/auth/users'
import { UsersView } from './users-view'

export const dynamic = 'force-dynamic'

export default async function UsersPage() {
  const actor = await pageActor()
  if (!roleAllows(actor.role, 'admin')) return <Forbidden minRole="admin" role={actor.role} />
  const users = await listUsers()
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-6">
      <UsersView users={users} currentUserId={actor.userId} />
    </main>
  )
}
