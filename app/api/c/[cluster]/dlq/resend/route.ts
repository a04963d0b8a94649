// POST /api/c/<cluster>/dlq/resend { group, selection, target, idempotencyKey, ratePerSec? }: starts a resend job
// (operator role) and answers at once with its id; a repeated idempotency key answers with the same job.
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { requestPathSegments } from '@/lib/console/path-segment'
import { startDlqResend } from '@/lib/dlq/start-dlq-resend'

export const dynamic = 'force-dynamic'

export async function POST(request: Request): Promise<Response> {
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    const actor = await requireActor('operator')
    const body = (await request.json()) as Record<string, unknown>
    const started = await startDlqResend(actor, { ...(body as object), cluster } as Parameters<
      typeof startDlqResend
    >[1])
    return Response.json(started, {
      status: started.replayed ? 200 : 202,
      headers: { 'cache-control': 'no-store' },
    })
  } catch (err) {
    return errorResponse(err, `POST /api/c/${cluster}/dlq/resend`)
  }
}
