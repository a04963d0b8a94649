// /c/<cluster>/dlq/<group>: one group's dead messages — time range and filters in the URL, cursor pages, a
// selection to resend (to the original topic or the group's %RETRY% topic) or export, and the progress of a
// resend job (`?job=`). The group segment is URL-encoded.
import { loadPageData } from '@/app/_lib/page-data'
import { searchStringOf, type SearchParamsRecord } from '@/app/_lib/search-string'
import { consoleContext } from '@/lib/console/console-context'
import { browseDlqMessages } from '@/lib/console/dlq'
import { decodePathSegment } from '@/lib/console/path-segment'
import { dlqMessagesApiUrl } from '../_lib/dlq-urls'
import { resendRights } from '../resend-rights'
import { DlqBrowseView } from './dlq-browse-view'

export const dynamic = 'force-dynamic'

export default async function DlqGroupPage(props: {
  params: Promise<{ cluster: string; group: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const segments = await props.params
  const cluster = decodePathSegment(segments.cluster)
  const group = decodePathSegment(segments.group)
  const search = searchStringOf(await props.searchParams)
  const url = dlqMessagesApiUrl(cluster, group, search)
  const [initial, rights] = await Promise.all([
    loadPageData('DLQ browse page', async () =>
      browseDlqMessages(await consoleContext(cluster), new URL(url, 'http://localhost').searchParams),
    ),
    resendRights(cluster),
  ])
  return (
    <div className="space-y-4" data-testid="dlq-browse">
      <DlqBrowseView
        cluster={cluster}
        group={group}
        initial={{ url, data: initial.data }}
        initialError={initial.error}
        rights={rights}
      />
    </div>
  )
}
