// POST /api/session {username, password}: logs in for scripts and API clients (curl, the e2e harness); sets the
// same `mqdeck_session` cookie as the login page and answers the actor. DELETE /api/session logs out. Same rate
// limit and the same generic refusal as the login page. JSON only, so a cross-site HTML form cannot post here.
import { cookies } from 'next/headers'
import { z } from 'zod'
import { errorResponse } from '@/app/api/error-response'
import { cookieSecurity, firstProto, SESSION_COOKIE, sessionCookieOptions } from '@/lib/auth/cookie-policy'
import { logIn } from '@/lib/auth/login'
import { deleteSession } from '@/lib/auth/session'
import { AppError } from '@/lib/errors'

export const dynamic = 'force-dynamic'

const loginBodySchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
})

export async function POST(request: Request): Promise<Response> {
  try {
    if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
      throw new AppError('VALIDATION_FAILED', 'Send the login as application/json.')
    }
    const input = loginBodySchema.parse(await request.json())
    const security = cookieSecurity({
      proto: firstProto(request.headers.get('x-forwarded-proto')),
      host: request.headers.get('host') ?? undefined,
    })
    if ('refused' in security) throw new AppError('FORBIDDEN', security.refused)
    const { actor, token } = await logIn(input.username, input.password)
    ;(await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(security.secure))
    return Response.json(
      { username: actor.username, role: actor.role },
      { headers: { 'cache-control': 'no-store' } },
    )
  } catch (err) {
    return errorResponse(err, 'POST /api/session')
  }
}

export async function DELETE(): Promise<Response> {
  try {
    const cookieStore = await cookies()
    const token = cookieStore.get(SESSION_COOKIE)?.value
    if (token) await deleteSession(token)
    cookieStore.delete(SESSION_COOKIE)
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, 'DELETE /api/session')
  }
}
