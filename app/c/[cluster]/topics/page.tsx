// /c/<cluster>/topics: every topic of the cluster, searched, filtered by type, sorted and paged on the server
// (one cached listTopics() per cluster); the first paint runs the same read as the JSON route.
import { consoleContext } from '@/lib/console/console-context'
import { decodePathSegment } from '@/lib/console/path-segment'
import { listTopicPage, parseTopicListParams, type TopicListPage } from '@/lib/console/topics'
import { toAppError } from '@/lib/errors'
import { searchStringOf, type SearchParamsRecord } from './_components/search-string'
import { TopicsView } from './topics-view'

export const dynamic = 'force-dynamic'

export default async function TopicsPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const cluster = decodePathSegment((await params).cluster)
  const query = await searchParams
  let data: TopicListPage | undefined
  let error: string | undefined
  try {
    data = await listTopicPage(await consoleContext(cluster), parseTopicListParams(query))
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL') console.error('[mqdeck] topics page failed', appError.cause ?? err)
    error = appError.message
  }
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-6 py-6" data-testid="topics">
      <h1 className="text-xl font-semibold tracking-tight">Topics</h1>
      <TopicsView
        cluster={cluster}
        initial={{ url: `/api/c/${encodeURIComponent(cluster)}/topics${searchStringOf(query)}`, data }}
        initialError={error}
      />
    </main>
  )
}
