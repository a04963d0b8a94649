// GET /api/c/<cluster>/dlq/groups?q=&page=&pageSize=&sort=&dir=: a page of the groups with a DLQ and their
// dead-message counts (lib/console/dlq.ts), what the DLQ list page refreshes from.
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { consoleContext } from '@/lib/console/console-context'
import { listDlqGroups } from '@/lib/console/dlq'
import { parseListParams } from '@/lib/console/list-query'
import { requestPathSegments } from '@/lib/console/path-segment'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/dlq/groups: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const listParams = parseListParams(new URL(request.url).searchParams)
    const page = await listDlqGroups(await consoleContext(cluster), listParams)
    return Response.json(page, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/dlq/groups`)
  }
}
