// GET /api/audit/export?format=csv|json&<the page's filters>: the filtered audit rows as a download (newest first,
// at most AUDIT_EXPORT_MAX_ROWS). CSV cells are neutralized against spreadsheet formula injection.
import { errorResponse } from '@/app/api/error-response'
import { auditRowsToCsv, auditRowsToJson, exportAuditRows, parseAuditFilter } from '@/lib/audit/query-audit'
import { requireActor } from '@/lib/auth/session'
import { AppError } from '@/lib/errors'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  try {
    await requireActor('viewer')
    const params = new URL(request.url).searchParams
    const format = params.get('format') ?? 'csv'
    if (format !== 'csv' && format !== 'json')
      throw new AppError('VALIDATION_FAILED', 'format must be csv or json', {
        fieldErrors: { format: ['csv or json'] },
      })
    const rows = await exportAuditRows(parseAuditFilter(params))
    const stamp = new Date().toISOString().replaceAll(':', '').slice(0, 15)
    const body = format === 'csv' ? auditRowsToCsv(rows) : auditRowsToJson(rows)
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="mqdeck-audit-${stamp}Z.${format}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    })
  } catch (err) {
    return errorResponse(err, 'GET /api/audit/export')
  }
}
