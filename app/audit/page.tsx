// Audit: every mutation the console ran or refused (who, what, where, how it ended), filtered from the URL and
// paged in the database, with JSON and CSV exports of the filtered rows. Any logged-in user may read it: the page
// checks the session itself (proxy.ts only sees that a cookie is there), as do the API routes.
import { pageActor } from '@/app/_lib/auth-guard'
import { searchStringOf, type SearchParamsRecord } from '@/app/_lib/search-string'
import { listAuditPage } from '@/lib/audit/query-audit'
import { AuditView } from './audit-view'

export const dynamic = 'force-dynamic'

export default async function AuditPage(props: { searchParams: Promise<SearchParamsRecord> }) {
  await pageActor()
  const searchParams = await props.searchParams
  const initial = await listAuditPage(searchParams)
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-6">
      <AuditView initial={initial} initialSearch={searchStringOf(searchParams)} />
    </main>
  )
}
