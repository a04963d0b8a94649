// POST /api/c/<cluster>/dlq/jobs/<jobId>/cancel { idempotencyKey }: cancels a running resend job (operator role)
// and answers once it has stopped, with its final counts.
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { requestPathSegments } from '@/lib/console/path-segment'
import { cancelDlqResend } from '@/lib/dlq/cancel-dlq-resend'

export const dynamic = 'force-dynamic'

export async function POST(request: Request): Promise<Response> {
  const [, , cluster = '', , , jobId = ''] = requestPathSegments(request.url)
  try {
    const actor = await requireActor('operator')
    const body = (await request.json()) as { idempotencyKey?: string }
    const job = await cancelDlqResend(actor, { cluster, jobId, idempotencyKey: body.idempotencyKey ?? '' })
    return Response.json(job, { headers: { 'cache-control': 'no-store' } })
  } catch (err) {
    return errorResponse(err, `POST /api/c/${cluster}/dlq/jobs/${jobId}/cancel`)
  }
}
