// GET /api/c/<cluster>/messages/<msgId>?topic=&bodyBytesMax=: a message with its delivery state per consumer
// group (lib/console/messages.ts); 404 when no broker holds it.
import { errorResponse } from '@/app/api/error-response'
import { getMessageDetailView, parseMessageDetailQuery } from '@/lib/console/messages'
import { AppError } from '@/lib/errors'
import { gatewayOf, messageRequest } from './message-request'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  const req = messageRequest(request)
  try {
    await requireActor('viewer')
    const query = parseMessageDetailQuery(req.msgId, req.searchParams)
    const detail = await getMessageDetailView(await gatewayOf(req), query)
    if (!detail) throw new AppError('NOT_FOUND', `No message with id ${query.msgId} was found.`)
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${req.cluster}/messages/${req.msgId}`)
  }
}
