// GET /api/c/<cluster>/messages/<msgId>?topic=&bodyBytesMax=: a message with its delivery state per consumer
// group (lib/console/messages.ts); 404 when no broker holds it.
import { decodeSegment } from '@/app/_lib/route-params'
import { errorResponse } from '@/app/api/error-response'
import { getGateway } from '@/lib/cluster/registry'
import { getMessageDetailView, parseMessageDetailQuery } from '@/lib/console/messages'
import { AppError } from '@/lib/errors'

export const dynamic = 'force-dynamic'

export async function GET(
  request: Request,
  { params }: { params: Promise<{ cluster: string; msgId: string }> },
): Promise<Response> {
  const { cluster, msgId } = await params
  try {
    const query = parseMessageDetailQuery(decodeSegment(msgId), new URL(request.url).searchParams)
    const detail = await getMessageDetailView(await getGateway(decodeSegment(cluster)), query)
    if (!detail) throw new AppError('NOT_FOUND', `No message with id ${query.msgId} was found.`)
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/messages/${msgId}`)
  }
}
