// /c/<cluster>/groups: every consumer group, searched, filtered (online/offline, system groups hidden by default),
// sorted and paged on the server; members are read for the page's rows only (lib/console/groups.ts says why).
import { consoleContext } from '@/lib/console/console-context'
import { listGroupPage, parseGroupListParams, type GroupListPage } from '@/lib/console/groups'
import { decodePathSegment } from '@/lib/console/path-segment'
import { toAppError } from '@/lib/errors'
import { searchStringOf, type SearchParamsRecord } from '../topics/_components/search-string'
import { GroupsView } from './groups-view'

export const dynamic = 'force-dynamic'

export default async function GroupsPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const cluster = decodePathSegment((await params).cluster)
  const query = await searchParams
  let data: GroupListPage | undefined
  let error: string | undefined
  try {
    data = await listGroupPage(await consoleContext(cluster), parseGroupListParams(query))
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL') console.error('[mqdeck] groups page failed', appError.cause ?? err)
    error = appError.message
  }
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-6 py-6" data-testid="groups">
      <h1 className="text-xl font-semibold tracking-tight">Consumer groups</h1>
      <GroupsView
        cluster={cluster}
        initial={{ url: `/api/c/${encodeURIComponent(cluster)}/groups${searchStringOf(query)}`, data }}
        initialError={error}
      />
    </main>
  )
}
