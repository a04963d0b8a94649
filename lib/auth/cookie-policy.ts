// The session cookie's name, lifetime and attributes, and when it must be Secure. Pure (no I/O, no server-only)
// so proxy.ts and the login action share one rule.
//
// Secure rule: the cookie is Secure whenever the request came over https (the URL or X-Forwarded-Proto), and in
// production also over plain http unless the Host is a loopback name. So `npm start` on http://127.0.0.1:3000
// logs in (only this machine can see that traffic), a production server behind an https proxy gets Secure
// cookies, and a production server reached over plain http from another host refuses the login with a clear
// message instead of handing out a session over cleartext. MQDECK_COOKIE_SECURE=1 forces Secure, =0 turns it
// off (e.g. a trusted LAN with no TLS).
export const SESSION_COOKIE = 'mqdeck_session'
/** Idle timeout: a session unused this long is gone; each use slides it forward. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000

export interface RequestOrigin {
  /** 'https' or 'http' (from the URL or X-Forwarded-Proto). */
  readonly proto: string | undefined
  /** The Host header (may carry a port). */
  readonly host: string | undefined
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])

export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '')
  return LOOPBACK_HOSTS.has(name.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(name)
}

/** First value of a possibly comma-separated X-Forwarded-Proto. */
export function firstProto(value: string | null | undefined): string | undefined {
  const first = value?.split(',')[0]?.trim().toLowerCase()
  return first ? first.replace(/:$/, '') : undefined
}

export type CookieSecurity = { secure: boolean } | { refused: string }

/** Whether the session cookie is Secure for this request, or why a login over it is refused. */
export function cookieSecurity(
  origin: RequestOrigin,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CookieSecurity {
  const forced = env.MQDECK_COOKIE_SECURE?.trim()
  if (forced === '1' || forced === 'true') return { secure: true }
  if (forced === '0' || forced === 'false') return { secure: false }
  if (origin.proto === 'https') return { secure: true }
  if (env.NODE_ENV !== 'production' || isLoopbackHost(origin.host)) return { secure: false }
  return {
    refused:
      'This server only signs in over https (or on 127.0.0.1). Put it behind an https proxy, or set ' +
      'MQDECK_COOKIE_SECURE=0 to allow plain http.',
  }
}

/** The attributes the session cookie is always set with. */
export function sessionCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: SESSION_IDLE_MS / 1000,
  }
}
