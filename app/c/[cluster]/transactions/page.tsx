// Transactions of one cluster: the half messages waiting for commit or rollback, paged on the server, with manual
// commit / rollback of a selection (operators).
import { loadPageData } from '@/app/_lib/page-data'
import { searchStringOf, type SearchParamsRecord } from '@/app/_lib/search-string'
import { currentActor } from '@/lib/auth/session'
import { roleAllows } from '@/lib/auth/roles'
import { consoleContext } from '@/lib/console/console-context'
import { parseListParams } from '@/lib/console/list-query'
import { decodePathSegment } from '@/lib/console/path-segment'
import { listTransactionPage } from '@/lib/console/transactions'
import { TransactionsView } from './transactions-view'

export const dynamic = 'force-dynamic'

export default async function TransactionsPage(props: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const cluster = decodePathSegment((await props.params).cluster)
  const searchParams = await props.searchParams
  const [initial, actor] = await Promise.all([
    loadPageData('transactions page', async () =>
      listTransactionPage(await consoleContext(cluster), parseListParams(searchParams)),
    ),
    currentActor(),
  ])
  return (
    <TransactionsView
      cluster={cluster}
      initial={initial.data}
      initialError={initial.error}
      initialSearch={searchStringOf(searchParams)}
      // Only decides whether the buttons are offered; the server checks the role again on every action.
      canOperate={actor !== undefined && roleAllows(actor.role, 'operator')}
    />
  )
}
