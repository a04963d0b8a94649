// Every /c/<cluster>/... page: requires a login (else /login?next=…), checks that the cluster exists (an unknown id
// shows app/c/not-found.tsx with a link to /clusters) and gives the pages their frame.
import { notFound } from 'next/navigation'
import type { ReactNode } from 'react'
import { pageActor } from '@/app/_lib/auth-guard'
import { getClusterConnection } from '@/lib/cluster/registry'
import { decodePathSegment } from '@/lib/console/path-segment'
import { AppError } from '@/lib/errors'

export default async function ClusterLayout({
  children,
  params,
}: {
  children: ReactNode
  params: Promise<{ cluster: string }>
}) {
  await pageActor()
  const cluster = decodePathSegment((await params).cluster)
  try {
    await getClusterConnection(cluster)
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') notFound()
    throw err
  }
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-6" data-cluster={cluster}>
      {children}
    </main>
  )
}
