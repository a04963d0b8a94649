// /c/<cluster>/groups: every consumer group, searched, filtered (online/offline, system groups hidden by default),
// sorted and paged on the server; members are read for the page's rows only (lib/console/groups.ts says why).
import { loadListPage, type ListPageProps } from '@/app/_lib/page-data'
import { listGroupPage, parseGroupListParams } from '@/lib/console/groups'
import { CreateGroupMount } from './_components/group-admin-mount'
import { GroupsView } from './groups-view'

export const dynamic = 'force-dynamic'

export default async function GroupsPage(props: ListPageProps) {
  const seed = await loadListPage(props, 'groups', (ctx, query) =>
    listGroupPage(ctx, parseGroupListParams(query)),
  )
  return (
    <div className="space-y-4" data-testid="groups">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold tracking-tight">Consumer groups</h1>
        <CreateGroupMount cluster={seed.cluster} />
      </div>
      <GroupsView {...seed} />
    </div>
  )
}
