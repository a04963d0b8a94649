// GET /api/c/<cluster>/groups/<group>: one consumer group's detail (lib/console/groups.ts); the group is URL-encoded.
import { errorResponse } from '@/app/api/error-response'
import { consoleContext } from '@/lib/console/console-context'
import { getGroupDetail } from '@/lib/console/groups'
import { requestPathSegments } from '@/lib/console/path-segment'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  // /api/c/<cluster>/groups/<group>: see path-segment.ts for why not `params`.
  const [, , cluster = '', , group = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const detail = await getGroupDetail(await consoleContext(cluster), group)
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/groups/${group}`)
  }
}
