// GET /api/c/<cluster>/topics/<topic>: one topic's detail (lib/console/topics.ts); the topic is URL-encoded.
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { requestPathSegments } from '@/lib/console/path-segment'
import { getTopicDetail } from '@/lib/console/topics'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/topics/<topic>: see path-segment.ts for why not `params`.
  const [, , cluster = '', , topic = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const detail = await getTopicDetail(await consoleContext(cluster), topic)
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/topics/${topic}`)
  }
}
