'use client'
// Client-side providers: one TanStack Query client per browser session, and the chosen time zone.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { TimeZoneProvider } from './_components/time-zone'

export function Providers({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
      }),
  )
  return (
    <QueryClientProvider client={queryClient}>
      <TimeZoneProvider initialZone={timeZone}>{children}</TimeZoneProvider>
    </QueryClientProvider>
  )
}
