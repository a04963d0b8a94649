// GET /api/store/stats: the embedded store's live figures (StoreRuntimeStats) as JSON.
import { errorResponse } from '@/app/api/error-response'
import { getStoreStats } from '@/lib/store/get-store-stats'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(): Promise<Response> {
  try {
    await requireActor('viewer')
    return Response.json(await getStoreStats(), { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, 'GET /api/store/stats')
  }
}
