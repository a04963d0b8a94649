// /c/<cluster>/messages/<msgId>?topic=&bodyBytesMax=&view=: one message with its properties, body and delivery
// state per consumer group. The URL is the share link: it names the cluster, the message and the body view.
import { decodeSegment } from '@/app/_lib/route-params'
import { getGateway } from '@/lib/cluster/registry'
import {
  getMessageDetailView,
  parseMessageDetailQuery,
  type MessageDetailResult,
} from '@/lib/console/messages'
import { toAppError } from '@/lib/errors'
import { MessageDetailView } from './message-detail-view'

export const dynamic = 'force-dynamic'

type SearchParams = Record<string, string | string[] | undefined>

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

export default async function MessageDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string; msgId: string }>
  searchParams: Promise<SearchParams>
}) {
  const route = await params
  const cluster = decodeSegment(route.cluster)
  const msgId = decodeSegment(route.msgId)
  const query = await searchParams
  const topic = first(query.topic)
  const bodyBytesMax = first(query.bodyBytesMax)
  let detail: MessageDetailResult | undefined
  let notFound = false
  let error: string | undefined
  try {
    detail = await getMessageDetailView(await getGateway(cluster), parseMessageDetailQuery(msgId, query))
    notFound = detail === undefined
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL')
      console.error('[mqdeck] message detail page failed', appError.cause ?? err)
    error = appError.message
  }
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
