// /c/<cluster>/groups/<group>: one consumer group's per-queue progress, members, subscriptions, retry settings,
// %RETRY% / %DLQ% topics and lag history. The group segment is URL-encoded.
import { loadDetailPage } from '@/app/_lib/page-data'
import { getGroupDetail } from '@/lib/console/groups'
import { GroupAdminMount } from '../_components/group-admin-mount'
import { GroupDetailView } from './group-detail-view'

export const dynamic = 'force-dynamic'

export default async function GroupPage({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const { name, ...seed } = await loadDetailPage(params, 'group', 'groups', getGroupDetail)
  return (
    <div className="space-y-6" data-testid="group-detail">
      <GroupAdminMount cluster={seed.cluster} group={name} config={seed.initial?.config} />
      <GroupDetailView group={name} {...seed} />
    </div>
  )
}
