// GET /api/c/<cluster>/dlq: groups with a DLQ and how many dead messages each holds (viewer role).
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { getGateway } from '@/lib/cluster/registry'
import { requestPathSegments } from '@/lib/console/path-segment'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const dlqs = await (await getGateway(cluster)).listDlqs()
    return Response.json({ ...dlqs, fetchedAtMs: Date.now() }, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/dlq`)
  }
}
