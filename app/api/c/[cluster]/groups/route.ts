// GET /api/c/<cluster>/groups?q=&state=&system=&sort=&dir=&page=&pageSize=: a page of the Consumer groups list
// (lib/console/groups.ts; members are read for the page's rows only).
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { listGroupPage, parseGroupListParams } from '@/lib/console/groups'
import { requestPathSegments } from '@/lib/console/path-segment'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/...: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const query = parseGroupListParams(new URL(request.url).searchParams)
    const page = await listGroupPage(await consoleContext(cluster), query)
    return Response.json(page, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/groups`)
  }
}
