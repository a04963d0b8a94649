// The console's per-browser preferences (theme and time zone): cookie names, allowed values and their parsing.
// Plain code shared by server components (which read the cookies for a first paint that matches) and the client.

export const THEME_COOKIE = 'mqdeck-theme'
export const TIME_ZONE_COOKIE = 'mqdeck-tz'
/** One year: a preference outlives the session. */
export const PREFERENCE_COOKIE_MAX_AGE_SEC = 365 * 24 * 3600

export const THEMES = ['light', 'dark', 'system'] as const
export type Theme = (typeof THEMES)[number]

export const DEFAULT_TIME_ZONE = 'UTC'

export function parseTheme(value: string | undefined): Theme {
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system'
}

/** An IANA zone this runtime knows, else UTC (a stale or hand-edited cookie must not break rendering). */
export function parseTimeZone(value: string | undefined): string {
  if (!value) return DEFAULT_TIME_ZONE
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return value
  } catch {
    return DEFAULT_TIME_ZONE
  }
}

/** Writes a preference cookie from the browser (readable by the server on the next request). */
export function writePreferenceCookie(name: string, value: string): void {
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${PREFERENCE_COOKIE_MAX_AGE_SEC}; samesite=lax`
}
