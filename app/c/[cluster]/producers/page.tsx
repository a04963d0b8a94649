// Producers of one cluster: every producer group with its connections, paged on the server.
import { pageActor } from '@/app/_lib/auth-guard'
import { searchStringOf, type SearchParamsRecord } from '@/app/_lib/search-string'
import { consoleContext } from '@/lib/console/console-context'
import { parseListParams } from '@/lib/console/list-query'
import { decodePathSegment } from '@/lib/console/path-segment'
import { listProducerPage } from '@/lib/console/producers'
import { ProducersView } from './producers-view'

export const dynamic = 'force-dynamic'

export default async function ProducersPage(props: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  await pageActor() // the layout checks too, but does not run again on client-side navigation
  const cluster = decodePathSegment((await props.params).cluster)
  const searchParams = await props.searchParams
  const initial = await listProducerPage(await consoleContext(cluster), parseListParams(searchParams))
  return <ProducersView cluster={cluster} initial={initial} initialSearch={searchStringOf(searchParams)} />
}
