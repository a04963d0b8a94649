// /c/<cluster>/topics/<topic>: one topic's config per broker, route, per-queue offsets, TPS history and the
// groups consuming it. The topic segment is URL-encoded (%DLQ%group → %25DLQ%25group).
import { loadDetailPage } from '@/app/_lib/page-data'
import { getTopicDetail } from '@/lib/console/topics'
import { TopicAdminMount } from '../_components/topic-admin-mount'
import { TopicDetailView } from './topic-detail-view'

export const dynamic = 'force-dynamic'

export default async function TopicPage({ params }: { params: Promise<{ cluster: string; topic: string }> }) {
  const { name, ...seed } = await loadDetailPage(params, 'topic', 'topics', getTopicDetail)
  return (
    <div className="space-y-6" data-testid="topic-detail">
      <TopicAdminMount cluster={seed.cluster} topic={name} config={seed.initial?.config} />
      <TopicDetailView topic={name} {...seed} />
    </div>
  )
}
