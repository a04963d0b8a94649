// Runs before every request: the cheap half of "login is required". Without a session cookie, pages redirect
// to /login?next=<path> and JSON routes answer 401; /login, /api/health and static files stay public. With a
// cookie, it passes the path on (layouts redirect back to it when the session turns out to be invalid) and
// slides the cookie's 12 h lifetime. The real check (the session in the database) is lib/auth/session.ts's,
// made by every layout, route handler and server action: Next's docs advise against database reads here, since
// proxy also runs for every prefetch.
import { NextResponse, type NextRequest } from 'next/server'
import { cookieSecurity, firstProto, SESSION_COOKIE, sessionCookieOptions } from '@/lib/auth/cookie-policy'

/** The request header layouts read the original path from (app/_lib/auth-guard.ts). */
const PATH_HEADER = 'x-mqdeck-path'

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl
  const token = request.cookies.get(SESSION_COOKIE)?.value
  // Server actions answer for themselves (requireActor): a redirect would break their fetch protocol.
  const isAction = request.headers.has('next-action')
  if (!token && !isAction) {
    if (pathname.startsWith('/api/')) {
      return NextResponse.json(
        { error: { code: 'UNAUTHENTICATED', message: 'Not logged in. Log in first.', fieldErrors: {} } },
        { status: 401, headers: { 'cache-control': 'no-store' } },
      )
    }
    const login = new URL('/login', request.url)
    if (pathname !== '/') login.searchParams.set('next', `${pathname}${search}`)
    return NextResponse.redirect(login)
  }
  const headers = new Headers(request.headers)
  headers.set(PATH_HEADER, `${pathname}${search}`)
  const response = NextResponse.next({ request: { headers } })
  if (token && !pathname.startsWith('/api/')) {
    const security = cookieSecurity({
      proto:
        firstProto(request.headers.get('x-forwarded-proto')) ?? request.nextUrl.protocol.replace(':', ''),
      host: request.headers.get('host') ?? undefined,
    })
    // Page loads slide the browser's copy; the database copy slides in lib/auth/session.ts.
    if ('secure' in security)
      response.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(security.secure))
  }
  return response
}

export const config = {
  // Everything but the public paths: the login page, the health check, Next's assets and the favicon.
  matcher: ['/((?!login|api/health|api/session|_next/static|_next/image|favicon\\.ico).*)'],
}
