// Producers of one cluster: every producer group with its connections, paged on the server.
import { decodeSegment } from '@/app/_lib/route-params'
import { consoleContext } from '@/lib/console/console-context'
import { parseListParams } from '@/lib/console/list-query'
import { listProducerPage } from '@/lib/console/producers'
import { ProducersView } from './producers-view'

export const dynamic = 'force-dynamic'

type SearchParams = Record<string, string | string[] | undefined>

/** The search string as the browser's useSearchParams().toString() will spell it, so the seed matches its key. */
function searchStringOf(searchParams: SearchParams): string {
  const out = new URLSearchParams()
  for (const [key, value] of Object.entries(searchParams))
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(key, v)
  const text = out.toString()
  return text === '' ? '' : `?${text}`
}

export default async function ProducersPage(props: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParams>
}) {
  const cluster = decodeSegment((await props.params).cluster)
  const searchParams = await props.searchParams
  const initial = await listProducerPage(await consoleContext(cluster), parseListParams(searchParams))
  return <ProducersView cluster={cluster} initial={initial} initialSearch={searchStringOf(searchParams)} />
}
