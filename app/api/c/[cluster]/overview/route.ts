// GET /api/c/<cluster>/overview: the Overview page's data (lib/console/overview.ts) for its live refresh.
import { errorResponse } from '@/app/api/error-response'
import { decodeSegment } from '@/app/_lib/route-params'
import { consoleContext } from '@/lib/console/console-context'
import { getOverview } from '@/lib/console/overview'

export const dynamic = 'force-dynamic'

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ cluster: string }> },
): Promise<Response> {
  const cluster = decodeSegment((await params).cluster)
  try {
    const overview = await getOverview(await consoleContext(cluster))
    return Response.json(overview, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/overview`)
  }
}
