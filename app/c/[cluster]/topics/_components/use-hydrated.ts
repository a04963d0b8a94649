'use client'
// Whether React has hydrated this page: false in the server render and during hydration, true after. The list
// views expose it as data-hydrated so the browser tests type into the filter box only once React owns it.
import { useSyncExternalStore } from 'react'

const subscribe = () => () => {}

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  )
}
