// /c/<cluster>/dlq: the consumer groups that have a %DLQ% topic and how many dead messages each holds, filtered,
// sorted and paged on the server over one cached listing; each row opens the group's DLQ browse page.
import { loadPageData } from '@/app/_lib/page-data'
import { searchStringOf, type SearchParamsRecord } from '@/app/_lib/search-string'
import { consoleContext } from '@/lib/console/console-context'
import { listDlqGroups } from '@/lib/console/dlq'
import { parseListParams } from '@/lib/console/list-query'
import { decodePathSegment } from '@/lib/console/path-segment'
import { dlqGroupsApiUrl } from './_lib/dlq-urls'
import { DlqGroupsView } from './dlq-groups-view'

export const dynamic = 'force-dynamic'

export default async function DlqPage(props: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const cluster = decodePathSegment((await props.params).cluster)
  const searchParams = await props.searchParams
  const { data, error } = await loadPageData('DLQ page', async () =>
    listDlqGroups(await consoleContext(cluster), parseListParams(searchParams)),
  )
  return (
    <div className="space-y-4" data-testid="dlq">
      <h1 className="text-xl font-semibold tracking-tight">Dead-letter queues</h1>
      <DlqGroupsView
        cluster={cluster}
        initial={{ url: dlqGroupsApiUrl(cluster, searchStringOf(searchParams)), data }}
        initialError={error}
      />
    </div>
  )
}
