// Root layout: the console shell (header with cluster switcher, nav, time zone and theme), global styles and
// client providers. Theme and time zone come from cookies so the first paint is already right (no flash). Without a
// session (the login page) the header shows no clusters and no user.
import type { Metadata } from 'next'
import { cookies } from 'next/headers'
import type { ReactNode } from 'react'
import { currentActor } from '@/lib/auth/session'
import { listClusterConnections } from '@/lib/cluster/registry'
import { ConsoleHeader, type ClusterChoice } from './_components/console-header'
import { parseTheme, parseTimeZone, THEME_COOKIE, TIME_ZONE_COOKIE } from './_lib/preferences'
import { Providers } from './providers'
import './globals.css'

export const metadata: Metadata = {
  title: 'mqdeck',
  description: 'Ops console and admin API for Apache RocketMQ',
}

/** The switcher's list; the shell still renders (with an empty switcher) when the registry cannot be read. */
async function clusterChoices(): Promise<ClusterChoice[]> {
  try {
    const connections = await listClusterConnections()
    return connections.map(({ id, name, kind, readOnly }) => ({ id, name, kind, readOnly }))
  } catch (err) {
    console.error('[mqdeck] could not list cluster connections', err)
    return []
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const cookieStore = await cookies()
  const theme = parseTheme(cookieStore.get(THEME_COOKIE)?.value)
  const timeZone = parseTimeZone(cookieStore.get(TIME_ZONE_COOKIE)?.value)
  const actor = await currentActor().catch((err: unknown) => {
    console.error('[mqdeck] could not read the session', err)
    return undefined
  })
  // Cluster names are for logged-in eyes only.
  const clusters = actor ? await clusterChoices() : []
  return (
    // The toggle changes the class in the browser afterwards; React must not put the first one back.
    <html lang="en" className={theme === 'light' ? undefined : theme} suppressHydrationWarning>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers timeZone={timeZone}>
          <ConsoleHeader
            clusters={clusters}
            theme={theme}
            user={actor ? { username: actor.username, role: actor.role } : undefined}
          />
          {children}
        </Providers>
      </body>
    </html>
  )
}
