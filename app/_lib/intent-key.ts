// A fresh idempotency key for one user intent (a form submission, a confirm button). getRandomValues works on
// plain-http LAN addresses too, where crypto.randomUUID() is missing (it needs a secure context).
export function newIntentKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
