'use server'
// Log in and log out. Login answers one generic "wrong username or password" for any refusal (no user
// enumeration); a throttled username gets the rate limiter's clear FORBIDDEN message instead.
import { revalidatePath } from 'next/cache'
import { cookies, headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { actionFailure, type ActionError } from '@/app/action-result'
import { safeNextPath } from '@/app/_lib/auth-guard'
import { cookieSecurity, firstProto, SESSION_COOKIE, sessionCookieOptions } from '@/lib/auth/cookie-policy'
import { logIn } from '@/lib/auth/login'
import { deleteSession } from '@/lib/auth/session'
import { AppError } from '@/lib/errors'

const loginInputSchema = z.object({
  username: z.string().trim().min(1, 'enter your username').max(64),
  password: z.string().min(1, 'enter your password').max(256),
  next: z.string().max(2048).optional(),
})

export type LoginState = { error: ActionError | undefined; username: string }

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name)
  return typeof value === 'string' ? value : undefined
}

export async function loginAction(_previous: LoginState, form: FormData): Promise<LoginState> {
  const username = text(form, 'username') ?? ''
  let next: string
  try {
    const input = loginInputSchema.parse({
      username,
      password: text(form, 'password'),
      next: text(form, 'next'),
    })
    const requestHeaders = await headers()
    const security = cookieSecurity({
      proto: firstProto(requestHeaders.get('x-forwarded-proto')),
      host: requestHeaders.get('host') ?? undefined,
    })
    if ('refused' in security) throw new AppError('FORBIDDEN', security.refused)
    const { token } = await logIn(input.username, input.password)
    ;(await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(security.secure))
    next = safeNextPath(input.next)
  } catch (err) {
    return { error: actionFailure(err, 'loginAction').error, username }
  }
  // The header (root layout) shows the user: re-render it. Outside the try: redirect() throws Next's signal.
  revalidatePath('/', 'layout')
  redirect(next)
}

export async function logoutAction(): Promise<void> {
  const cookieStore = await cookies()
  const token = cookieStore.get(SESSION_COOKIE)?.value
  if (token) {
    try {
      await deleteSession(token)
    } catch (err) {
      // The cookie still goes; the row expires on its own.
      console.error('[mqdeck] logout could not delete the session row', err)
    }
  }
  cookieStore.delete(SESSION_COOKIE)
  revalidatePath('/', 'layout')
  redirect('/login')
}
