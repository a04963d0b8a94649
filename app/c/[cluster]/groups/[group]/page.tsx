// /c/<cluster>/groups/<group>: one consumer group's per-queue progress, members, subscriptions, retry settings,
// %RETRY% / %DLQ% topics and lag history. The group segment is URL-encoded.
import { consoleContext } from '@/lib/console/console-context'
import { getGroupDetail, type GroupDetail } from '@/lib/console/groups'
import { decodePathSegment } from '@/lib/console/path-segment'
import { toAppError } from '@/lib/errors'
import { GroupDetailView } from './group-detail-view'

export const dynamic = 'force-dynamic'

export default async function GroupPage({ params }: { params: Promise<{ cluster: string; group: string }> }) {
  const segments = await params
  const cluster = decodePathSegment(segments.cluster)
  const group = decodePathSegment(segments.group)
  let data: GroupDetail | undefined
  let error: string | undefined
  try {
    data = await getGroupDetail(await consoleContext(cluster), group)
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL') console.error('[mqdeck] group page failed', appError.cause ?? err)
    error = appError.message
  }
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-6" data-testid="group-detail">
      <GroupDetailView
        cluster={cluster}
        group={group}
        apiUrl={`/api/c/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}`}
        initial={data}
        initialError={error}
      />
    </main>
  )
}
