// Overview of one cluster: first paint from lib/console/overview.ts, then kept fresh from
// /api/c/<cluster>/overview by the client view.
import { pageActor } from '@/app/_lib/auth-guard'
import { getClusterConnection } from '@/lib/cluster/registry'
import { consoleContext } from '@/lib/console/console-context'
import { getOverview } from '@/lib/console/overview'
import { decodePathSegment } from '@/lib/console/path-segment'
import { OverviewView } from './_overview/overview-view'

export const dynamic = 'force-dynamic'

export default async function OverviewPage({ params }: { params: Promise<{ cluster: string }> }) {
  await pageActor() // the layout checks too, but does not run again on client-side navigation
  const cluster = decodePathSegment((await params).cluster)
  const [connection, overview] = await Promise.all([
    getClusterConnection(cluster),
    consoleContext(cluster).then((ctx) => getOverview(ctx)),
  ])
  return <OverviewView cluster={cluster} clusterName={connection.name} initial={overview} />
}
