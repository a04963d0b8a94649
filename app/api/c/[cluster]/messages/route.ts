// GET /api/c/<cluster>/messages?mode=id|key|time&...: the Messages page's query (lib/console/messages.ts) as JSON:
// `idle` when nothing is asked yet, `invalid` with field errors for the form, or `ok` with the result.
import { decodeSegment } from '@/app/_lib/route-params'
import { errorResponse } from '@/app/api/error-response'
import { getGateway } from '@/lib/cluster/registry'
import { runMessageSearch } from '@/lib/console/messages'

export const dynamic = 'force-dynamic'

export async function GET(
  request: Request,
  { params }: { params: Promise<{ cluster: string }> },
): Promise<Response> {
  const { cluster } = await params
  try {
    const response = await runMessageSearch(new URL(request.url).searchParams, () =>
      getGateway(decodeSegment(cluster)),
    )
    return Response.json(response, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/messages`)
  }
}
