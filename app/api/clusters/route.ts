// GET /api/clusters: every cluster connection (embedded first). Credentials never leave the server: only whether
// a connection has them.
import { errorResponse } from '@/app/api/error-response'
import { listClusterConnections } from '@/lib/cluster/registry'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(): Promise<Response> {
  try {
    await requireActor('viewer')
    return Response.json(
      { clusters: await listClusterConnections() },
      { headers: { 'cache-control': 'no-store' } },
    )
  } catch (err) {
    return errorResponse(err, 'GET /api/clusters')
  }
}
