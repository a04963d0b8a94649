// Clusters: the connections this console manages (embedded plus remote NameServer lists), with add, remove and
// a connection test.
import { randomUUID } from 'node:crypto'
import { pageActor } from '@/app/_lib/auth-guard'
import { listClusterConnections } from '@/lib/cluster/registry'
import { ClustersView } from './clusters-view'

export const dynamic = 'force-dynamic'

export default async function ClustersPage() {
  await pageActor() // the layout checks too, but does not run again on client-side navigation
  const clusters = await listClusterConnections()
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-6">
      <ClustersView clusters={clusters} addIntentKey={randomUUID()} />
    </main>
  )
}
