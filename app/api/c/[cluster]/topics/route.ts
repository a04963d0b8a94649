// GET /api/c/<cluster>/topics?q=&type=&sort=&dir=&page=&pageSize=: a page of the Topics list (lib/console/topics.ts).
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { requestPathSegments } from '@/lib/console/path-segment'
import { listTopicPage, parseTopicListParams } from '@/lib/console/topics'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/...: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const query = parseTopicListParams(new URL(request.url).searchParams)
    const page = await listTopicPage(await consoleContext(cluster), query)
    return Response.json(page, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/topics`)
  }
}
