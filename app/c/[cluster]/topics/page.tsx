// /c/<cluster>/topics: every topic of the cluster, searched, filtered by type, sorted and paged on the server
// (one cached listTopics() per cluster); the first paint runs the same read as the JSON route.
import { loadListPage, type ListPageProps } from '@/app/_lib/page-data'
import { listTopicPage, parseTopicListParams } from '@/lib/console/topics'
import { CreateTopicMount } from './_components/topic-admin-mount'
import { TopicsView } from './topics-view'

export const dynamic = 'force-dynamic'

export default async function TopicsPage(props: ListPageProps) {
  const seed = await loadListPage(props, 'topics', (ctx, query) =>
    listTopicPage(ctx, parseTopicListParams(query)),
  )
  return (
    <div className="space-y-4" data-testid="topics">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold tracking-tight">Topics</h1>
        <CreateTopicMount cluster={seed.cluster} />
      </div>
      <TopicsView {...seed} />
    </div>
  )
}
