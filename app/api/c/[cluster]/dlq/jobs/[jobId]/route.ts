// GET /api/c/<cluster>/dlq/jobs/<jobId>?page=&pageSize=&status=: a resend job's progress and a page of its
// per-message results, newest first (viewer role; the progress panel polls it).
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { requestPathSegments } from '@/lib/console/path-segment'
import { getDlqResendJob, getDlqResendResults } from '@/lib/dlq/read-dlq-resend-job'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  const [, , cluster = '', , , jobId = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const params = new URL(request.url).searchParams
    const job = getDlqResendJob(cluster, jobId)
    const results = getDlqResendResults(cluster, jobId, {
      page: params.get('page') ?? undefined,
      pageSize: params.get('pageSize') ?? undefined,
      status: params.get('status') || undefined,
    })
    return Response.json({ job, results }, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `GET /api/c/${cluster}/dlq/jobs/${jobId}`)
  }
}
