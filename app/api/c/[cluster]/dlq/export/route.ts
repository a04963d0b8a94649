// POST /api/c/<cluster>/dlq/export { group, format: json|csv, selection: { msgIds } | { beginMs?, endMs?,
// filter? } } (JSON body, or a form field `query` holding that JSON so a plain form can download it): the
// export as an attachment (viewer role). CSV is safe against formula injection (lib/console/csv.ts).
import { errorResponse } from '@/app/api/error-response'
import { requireActor } from '@/lib/auth/session'
import { getGateway } from '@/lib/cluster/registry'
import { requestPathSegments } from '@/lib/console/path-segment'
import { exportDlqMessages, type DlqExportQuery } from '@/lib/dlq/export-dlq'

export const dynamic = 'force-dynamic'

async function queryOf(request: Request): Promise<DlqExportQuery> {
  if ((request.headers.get('content-type') ?? '').includes('application/json'))
    return (await request.json()) as DlqExportQuery
  const form = await request.formData()
  const query = form.get('query')
  return JSON.parse(typeof query === 'string' ? query : '{}') as DlqExportQuery
}

export async function POST(request: Request): Promise<Response> {
  const [, , cluster = ''] = requestPathSegments(request.url)
  try {
    await requireActor('viewer')
    const file = await exportDlqMessages(cluster, await getGateway(cluster), await queryOf(request))
    return new Response(file.body, {
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.filename}"`,
        'cache-control': 'no-store',
        'x-mqdeck-export-count': String(file.count),
        'x-mqdeck-export-truncated': String(file.truncated),
      },
    })
  } catch (err) {
    return errorResponse(err, `POST /api/c/${cluster}/dlq/export`)
  }
}
