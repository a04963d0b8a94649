// /login: the only console page open without a session. Someone already logged in goes straight on.
import { redirect } from 'next/navigation'
import { safeNextPath } from '@/app/_lib/auth-guard'
import { currentActor } from '@/lib/auth/session'
import { LoginForm } from './login-form'

export const dynamic = 'force-dynamic'

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>
}) {
  const raw = (await searchParams).next
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw)
  if (await currentActor()) redirect(next)
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-4 px-4 py-16">
      <h1 className="text-xl font-semibold">Log in to mqdeck</h1>
      <LoginForm next={next} />
    </main>
  )
}
