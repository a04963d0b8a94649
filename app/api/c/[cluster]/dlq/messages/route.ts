// GET /api/c/<cluster>/dlq/messages?group=&begin=&end=&fTag=&fKey=&fProp=&fBody=&cursor=&pageSize=: one page of a
// group's DLQ for the browse page (lib/console/dlq.ts): `invalid` with field errors, or `ok` with the page.
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { consoleContext } from '@/lib/console/console-context'
import { browseDlqMessages } from '@/lib/console/dlq'
import { requestPathSegments } from '@/lib/console/path-segment'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/dlq/messages: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const response = await browseDlqMessages(await consoleContext(cluster), new URL(request.url).searchParams)
    return Response.json(response, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/dlq/messages`)
  }
}
