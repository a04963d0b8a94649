// /c/<cluster>/messages/<msgId>?topic=&bodyBytesMax=&view=: one message with its properties, body and delivery
// state per consumer group. The URL is the share link: it names the cluster, the message and the body view.
import { loadPageData } from '@/app/_lib/page-data'
import type { SearchParamsRecord } from '@/app/_lib/search-string'
import { consoleContext } from '@/lib/console/console-context'
import { firstParams } from '@/lib/console/list-query'
import { getMessageDetailView, parseMessageDetailQuery } from '@/lib/console/messages'
import { decodePathSegment } from '@/lib/console/path-segment'
import { MessageDetailView } from './message-detail-view'

export const dynamic = 'force-dynamic'

export default async function MessageDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string; msgId: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const route = await params
  const cluster = decodePathSegment(route.cluster)
  const msgId = decodePathSegment(route.msgId)
  const query = await searchParams
  const { topic, bodyBytesMax } = firstParams(query)
  const { data: detail, error } = await loadPageData('message detail page', async () =>
    getMessageDetailView((await consoleContext(cluster)).gateway, parseMessageDetailQuery(msgId, query)),
  )
  const notFound = error === undefined && detail === undefined
  const c = encodeURIComponent(cluster)
  const id = encodeURIComponent(msgId)
  const apiParams = new URLSearchParams()
  if (topic) apiParams.set('topic', topic)
  if (bodyBytesMax) apiParams.set('bodyBytesMax', bodyBytesMax)
  const apiSearch = apiParams.toString() === '' ? '' : `?${apiParams.toString()}`
  const downloadParams = new URLSearchParams()
  if (topic) downloadParams.set('topic', topic)
  const downloadSearch = downloadParams.toString() === '' ? '' : `?${downloadParams.toString()}`
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
        <a className="text-link" href={`/c/${c}/messages`}>
          Messages
        </a>{' '}
        / <span className="font-mono">{msgId}</span>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Message</h1>
      <MessageDetailView
        cluster={cluster}
        msgId={msgId}
        apiUrl={`/api/c/${c}/messages/${id}${apiSearch}`}
        downloadHref={`/api/c/${c}/messages/${id}/body${downloadSearch}`}
        initial={detail}
        initialNotFound={notFound}
        initialError={error}
      />
    </div>
  )
}
