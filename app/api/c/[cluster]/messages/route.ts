// GET /api/c/<cluster>/messages?mode=id|key|time&...: the Messages page's query (lib/console/messages.ts) as JSON:
// `idle` when nothing is asked yet, `invalid` with field errors for the form, or `ok` with the result.
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { runMessageSearch } from '@/lib/console/messages'
import { requestPathSegments } from '@/lib/console/path-segment'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/messages: see path-segment.ts for why not `params`.
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const response = await runMessageSearch(
      new URL(request.url).searchParams,
      async () => (await consoleContext(cluster)).gateway,
    )
    return Response.json(response, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/messages`)
  }
}
