// fetch() for the console's JSON routes: no caching, and a failed response throws an Error carrying the
// server's user-facing message (route handlers answer { error: { code, message } }), never a stack trace.

export class FetchJsonError extends Error {
  readonly status: number
  readonly code: string | undefined

  constructor(message: string, status: number, code: string | undefined) {
    super(message)
    this.name = 'FetchJsonError'
    this.status = status
    this.code = code
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    cache: 'no-store',
    ...init,
    headers: { accept: 'application/json', ...init?.headers },
  })
  let payload: unknown
  try {
    payload = await response.json()
  } catch {
    payload = undefined
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string } } | undefined)?.error
    throw new FetchJsonError(error?.message ?? `HTTP ${response.status}`, response.status, error?.code)
  }
  return payload as T
}
