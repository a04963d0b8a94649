'use client'
// Whether React has hydrated the page: false in the server render and during hydration, true after. The shell
// exposes it as data-hydrated on the header, so browser tests click and type only once React owns the page.
import { useSyncExternalStore } from 'react'

const subscribe = () => () => {}

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  )
}
