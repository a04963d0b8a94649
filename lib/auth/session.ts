// Sessions: a random token in the `mqdeck_session` cookie, stored only as its sha256 (a database leak does not
// leak sessions), 12 h idle timeout that slides on use. currentActor() / requireActor() are the server-side
// checks every page, route handler and server action uses.
import 'server-only'
import { createHash, randomBytes } from 'node:crypto'
import { cookies } from 'next/headers'
import { db, type Db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { SESSION_COOKIE, SESSION_IDLE_MS } from './cookie-policy'
import { isRole, roleAllows, type Actor, type Role } from './roles'

export type { Actor, Role } from './roles'

/** A used session's expiry is written back at most this often, so polling views do not write every request. */
const SLIDE_WRITE_INTERVAL_MS = 60_000

export interface SessionOptions {
  readonly db?: Db
  readonly nowMs?: number
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Starts a session for `userId`; the token goes into the cookie and nowhere else. */
export async function createSession(
  userId: number,
  options: SessionOptions = {},
): Promise<{ token: string; expiresAt: Date }> {
  const client = options.db ?? db()
  const nowMs = options.nowMs ?? Date.now()
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(nowMs + SESSION_IDLE_MS)
  await client.session.create({
    data: {
      id: hashSessionToken(token),
      userId,
      createdAt: new Date(nowMs),
      lastSeenAt: new Date(nowMs),
      expiresAt,
    },
  })
  // Expired rows are dead weight; logins are rare, so tidying here costs nothing noticeable.
  await client.session.deleteMany({ where: { expiresAt: { lt: new Date(nowMs) } } })
  return { token, expiresAt }
}

/** Ends the session holding `token` (logout); unknown tokens are fine. */
export async function deleteSession(token: string, options: SessionOptions = {}): Promise<void> {
  await (options.db ?? db()).session.deleteMany({ where: { id: hashSessionToken(token) } })
}

/** The actor behind `token`, sliding its expiry; undefined when unknown, expired, or the user is disabled/gone. */
export async function actorForToken(
  token: string | undefined,
  options: SessionOptions = {},
): Promise<Actor | undefined> {
  if (!token || token.length > 200) return undefined
  const client = options.db ?? db()
  const nowMs = options.nowMs ?? Date.now()
  const session = await client.session.findUnique({
    where: { id: hashSessionToken(token) },
    include: { user: { select: { id: true, username: true, role: true, disabled: true } } },
  })
  if (!session || session.expiresAt.getTime() <= nowMs) return undefined
  const { user } = session
  if (user.disabled || !isRole(user.role)) return undefined
  if (nowMs - session.lastSeenAt.getTime() >= SLIDE_WRITE_INTERVAL_MS) {
    // updateMany: a concurrent logout may have removed the row; that is not an error here.
    await client.session.updateMany({
      where: { id: session.id },
      data: { lastSeenAt: new Date(nowMs), expiresAt: new Date(nowMs + SESSION_IDLE_MS) },
    })
  }
  return { userId: user.id, username: user.username, role: user.role }
}

/** From the session cookie; undefined when not logged in or expired. */
export async function currentActor(): Promise<Actor | undefined> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  return actorForToken(token)
}

/** Throws AppError UNAUTHENTICATED when not logged in, FORBIDDEN when the role is below `minRole`. */
export async function requireActor(minRole: Role): Promise<Actor> {
  return checkRole(await currentActor(), minRole)
}

/** requireActor's decision for an already-read actor. */
export function checkRole(actor: Actor | undefined, minRole: Role): Actor {
  if (!actor)
    throw new AppError('UNAUTHENTICATED', 'Not logged in, or the session has expired. Log in again.')
  if (!roleAllows(actor.role, minRole)) {
    throw new AppError('FORBIDDEN', `This needs the ${minRole} role; ${actor.username} is ${actor.role}.`, {
      details: { role: actor.role, minRole },
    })
  }
  return actor
}
