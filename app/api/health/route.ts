// GET /api/health: 200 once the server is up and the embedded engine has started (its remoting addresses), 503
// while it cannot start. For load balancers, start-up scripts and the e2e harness.
import { errorResponse } from '@/app/api/error-response'
import { getRemotingAddresses } from '@/lib/engine/embedded-engine'

export const dynamic = 'force-dynamic'

export async function GET(): Promise<Response> {
  try {
    const { namesrvAddr, brokerAddr } = await getRemotingAddresses()
    return Response.json({ ok: true, namesrvAddr, brokerAddr }, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, 'GET /api/health')
  }
}
