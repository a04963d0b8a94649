'use client'
// Shown for /c/<id>/... when no cluster connection has that id.
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { parseConsolePath } from '@/app/_components/console-path'

export default function UnknownCluster() {
  const cluster = parseConsolePath(usePathname())?.cluster
  return (
    <main className="mx-auto max-w-3xl px-4 py-16 text-center" data-testid="unknown-cluster">
      <h1 className="text-xl font-semibold">Unknown cluster{cluster ? ` “${cluster}”` : ''}</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        No cluster connection has this id. It may have been removed, or the link has a typo.
      </p>
      <p className="mt-6 flex justify-center gap-4 text-sm">
        <Link href="/clusters" className="text-link">
          Manage clusters
        </Link>
        <Link href="/c/embedded" className="text-link">
          Open the embedded cluster
        </Link>
      </p>
    </main>
  )
}
