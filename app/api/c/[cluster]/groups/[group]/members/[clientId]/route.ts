// GET /api/c/<cluster>/groups/<group>/members/<clientId>: what one member reports about the queues it holds
// (lib/console/group-member.ts); unsupported, with the reason, when the client cannot answer.
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { getMemberRunningInfo } from '@/lib/console/group-member'
import { requestPathSegments } from '@/lib/console/path-segment'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/groups/<group>/members/<clientId>: see path-segment.ts for why not `params`.
  const [, , cluster = '', , group = '', , clientId = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const info = await getMemberRunningInfo(await consoleContext(cluster), group, clientId)
    return Response.json(info, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/groups/${group}/members/${clientId}`)
  }
}
