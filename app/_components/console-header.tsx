'use client'
// The console's header: product name, cluster switcher (keeps the current section), read-only badge, section
// nav with the active one marked, time-zone picker, theme toggle and the logged-in user's menu. Without a user (the
// login page) only the name and the theme toggle show.
import Link from 'next/link'
import { usePathname, useRouter } from 'next/navigation'
import type { Theme } from '@/app/_lib/preferences'
import { useHydrated } from '@/app/_lib/use-hydrated'
import { Badge } from './badge'
import { parseConsolePath, sectionPath, SECTIONS } from './console-path'
import { ThemeToggle } from './theme-toggle'
import { TimeZoneSelect } from './time-zone'
import { UserMenu, type HeaderUser } from './user-menu'

/** What the header needs of a cluster connection (never credentials). */
export interface ClusterChoice {
  readonly id: string
  readonly name: string
  readonly kind: 'embedded' | 'remote'
  readonly readOnly: boolean
}

export function ConsoleHeader({
  clusters,
  theme,
  user,
}: {
  clusters: readonly ClusterChoice[]
  theme: Theme
  user: HeaderUser | undefined
}) {
  const pathname = usePathname()
  const router = useRouter()
  const current = parseConsolePath(pathname)
  const currentCluster = current ? clusters.find((c) => c.id === current.cluster) : undefined
  const hydrated = useHydrated()

  return (
    <header
      className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      data-testid="console-header"
      data-hydrated={hydrated}
    >
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
        <Link
          href={current ? sectionPath(current.cluster, '') : '/'}
          className="rounded text-lg font-bold tracking-tight focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
        >
          mqdeck
        </Link>
        {user && (
          <>
            <label className="flex items-center gap-1 text-xs text-slate-500 dark:text-slate-400">
              Cluster
              <select
                aria-label="Cluster"
                data-testid="cluster-switcher"
                className="control-input"
                value={currentCluster?.id ?? ''}
                onChange={(event) => router.push(sectionPath(event.target.value, current?.section ?? ''))}
              >
                {!currentCluster && (
                  <option value="" disabled>
                    {current ? `${current.cluster} (unknown)` : 'choose…'}
                  </option>
                )}
                {clusters.map((cluster) => (
                  <option key={cluster.id} value={cluster.id}>
                    {cluster.name === cluster.id ? cluster.id : `${cluster.name} (${cluster.id})`}
                  </option>
                ))}
              </select>
            </label>
            {currentCluster?.readOnly && (
              <span data-testid="read-only-badge">
                <Badge tone="warning" title="Changes to this cluster are refused">
                  read-only
                </Badge>
              </span>
            )}
            <nav aria-label="Sections" className="flex flex-wrap items-center gap-1">
              {current &&
                SECTIONS.map(({ section, label }) => {
                  const active = current.section === section
                  return (
                    <Link
                      key={section}
                      href={sectionPath(current.cluster, section)}
                      aria-current={active ? 'page' : undefined}
                      className={`rounded-md px-2.5 py-1 text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
                        active
                          ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
                          : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
                      }`}
                    >
                      {label}
                    </Link>
                  )
                })}
              {[
                { href: '/clusters', label: 'Clusters' },
                { href: '/audit', label: 'Audit' },
              ].map(({ href, label }) => (
                <Link
                  key={href}
                  href={href}
                  aria-current={pathname === href ? 'page' : undefined}
                  className={`rounded-md px-2.5 py-1 text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
                    pathname === href
                      ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
                      : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
                  }`}
                >
                  {label}
                </Link>
              ))}
            </nav>
          </>
        )}
        <div className="ml-auto flex items-center gap-2">
          {user && <TimeZoneSelect />}
          <ThemeToggle initialTheme={theme} />
          {user && <UserMenu user={user} />}
        </div>
      </div>
    </header>
  )
}
