// /c/<cluster>/topics/<topic>: one topic's config per broker, route, per-queue offsets, TPS history and the
// groups consuming it. The topic segment is URL-encoded (%DLQ%group → %25DLQ%25group).
import { consoleContext } from '@/lib/console/console-context'
import { decodePathSegment } from '@/lib/console/path-segment'
import { getTopicDetail, type TopicDetail } from '@/lib/console/topics'
import { toAppError } from '@/lib/errors'
import { TopicDetailView } from './topic-detail-view'

export const dynamic = 'force-dynamic'

export default async function TopicPage({ params }: { params: Promise<{ cluster: string; topic: string }> }) {
  const segments = await params
  const cluster = decodePathSegment(segments.cluster)
  const topic = decodePathSegment(segments.topic)
  let data: TopicDetail | undefined
  let error: string | undefined
  try {
    data = await getTopicDetail(await consoleContext(cluster), topic)
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL') console.error('[mqdeck] topic page failed', appError.cause ?? err)
    error = appError.message
  }
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-6" data-testid="topic-detail">
      <TopicDetailView
        cluster={cluster}
        topic={topic}
        apiUrl={`/api/c/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`}
        initial={data}
        initialError={error}
      />
    </main>
  )
}
