// GET /api/audit?user=&action=&target=&status=&cluster=&from=&to=&page=&pageSize=&sort=&dir=: a page of the audit
// log (lib/audit/query-audit.ts). Any logged-in user may read it: viewers are read-only, not kept in the dark.
import { errorResponse } from '@/app/api/error-response'
import { listAuditPage } from '@/lib/audit/query-audit'
import { requireActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  try {
    await requireActor('viewer')
    const page = await listAuditPage(new URL(request.url).searchParams)
    return Response.json(page, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, 'GET /api/audit')
  }
}
