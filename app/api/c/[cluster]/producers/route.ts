// GET /api/c/<cluster>/producers?q=&page=&pageSize=&sort=&dir=: a page of producer groups with their connections
// (lib/console/producers.ts), or why the cluster cannot list them.
import { errorResponse } from '@/app/api/error-response'
import { decodeSegment } from '@/app/_lib/route-params'
import { consoleContext } from '@/lib/console/console-context'
import { parseListParams } from '@/lib/console/list-query'
import { listProducerPage } from '@/lib/console/producers'

export const dynamic = 'force-dynamic'

export async function GET(
  request: Request,
  { params }: { params: Promise<{ cluster: string }> },
): Promise<Response> {
  const cluster = decodeSegment((await params).cluster)
  try {
    const listParams = parseListParams(new URL(request.url).searchParams)
    const page = await listProducerPage(await consoleContext(cluster), listParams)
    return Response.json(page, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/producers`)
  }
}
