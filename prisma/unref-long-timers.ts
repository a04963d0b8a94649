// Prisma CLI workaround (imported only by prisma.config.ts, never by the app).
// The wasm schema engine arms a long setTimeout that keeps `migrate dev` / `db push` alive for 60 s after
// they finish; unref'ing every timer of 5 s or more lets the CLI exit as soon as its work is done.
import { createHook } from 'node:async_hooks'

const LONG_TIMER_MS_MIN = 5_000

interface TimeoutLike {
  _idleTimeout?: number
  unref?: () => unknown
}

createHook({
  init(_asyncId, type, _triggerAsyncId, resource) {
    if (type !== 'Timeout') return
    const timer = resource as TimeoutLike
    if (typeof timer._idleTimeout === 'number' && timer._idleTimeout >= LONG_TIMER_MS_MIN) timer.unref?.()
  },
}).enable()
