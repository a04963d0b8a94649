// GET /api/c/<cluster>/messages/<msgId>/body?topic=: the message's whole body as a download (the detail page shows
// at most bodyBytesMax of it), application/octet-stream with a content-disposition naming the message.
import { errorResponse } from '@/app/api/error-response'
import { getMessageBody } from '@/lib/console/messages'
import { AppError } from '@/lib/errors'
import { gatewayOf, messageRequest } from '../message-request'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  const req = messageRequest(request)
  try {
    await requireActor('viewer')
    const topic = req.searchParams.get('topic') ?? undefined
    const found = await getMessageBody(await gatewayOf(req), req.msgId, topic === '' ? undefined : topic)
    if (!found) throw new AppError('NOT_FOUND', `No message with id ${req.msgId} was found.`)
    // The id is hex, so the file name needs no escaping; `.bin` because the body may be anything.
    const body = new Uint8Array(found.body)
    return new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(body)
          controller.close()
        },
      }),
      {
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(body.byteLength),
          'content-disposition': `attachment; filename="${found.msgId}${found.decoded ? '' : '.compressed'}.bin"`,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        },
      },
    )
  } catch (err) {
    return errorResponse(err, `GET /api/c/${req.cluster}/messages/${req.msgId}/body`)
  }
}
