// GET /api/c/<cluster>/overview: the Overview page's data (lib/console/overview.ts) for its live refresh.
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { requestPathSegments } from '@/lib/console/path-segment'
import { getOverview } from '@/lib/console/overview'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/overview: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const overview = await getOverview(await consoleContext(cluster))
    return Response.json(overview, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/overview`)
  }
}
