// GET /api/c/<cluster>/transactions?q=&page=&pageSize=&sort=&dir=: a page of pending half messages
// (lib/console/transactions.ts), or why the cluster cannot list them.
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { consoleContext } from '@/lib/console/console-context'
import { parseListParams } from '@/lib/console/list-query'
import { requestPathSegments } from '@/lib/console/path-segment'
import { listTransactionPage } from '@/lib/console/transactions'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/transactions: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const listParams = parseListParams(new URL(request.url).searchParams)
    const page = await listTransactionPage(await consoleContext(cluster), listParams)
    return Response.json(page, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/transactions`)
  }
}
