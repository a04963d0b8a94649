// The real login check for pages: the session from the cookie (lib/auth/session.ts), redirecting to
// /login?next=<the page> without one. proxy.ts passes the page's path in a request header, since a layout is
// not told its URL.
import 'server-only'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { currentActor } from '@/lib/auth/session'
import type { Actor } from '@/lib/auth/roles'

const PATH_HEADER = 'x-mqdeck-path'

/** The logged-in actor; redirects to /login?next=<this page> when there is none. Callers check the role. */
export async function pageActor(): Promise<Actor> {
  const actor = await currentActor()
  if (!actor) {
    const path = (await headers()).get(PATH_HEADER)
    redirect(path && path !== '/' ? `/login?next=${encodeURIComponent(path)}` : '/login')
  }
  return actor
}

/** `next` when it is a path on this site (never another origin, never the login page itself), else '/'. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return '/'
  if (/^\/login(?:[/?#]|$)/.test(next)) return '/'
  return next
}
