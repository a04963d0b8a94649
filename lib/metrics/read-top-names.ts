// The series with the largest average over a recent window (top topics by PUT_TPS, groups by LAG), ranked by the
// database (groupBy + orderBy + take) so 5,000 topics cost one query.
import 'server-only'
import { db as defaultDb, type Db } from '@/lib/db'
import { isSparseScope, type MetricName, type MetricScope } from './metric-names'
import { proofTimes, windowResolution } from './series-query'

export interface TopNamesQuery {
  readonly cluster: string
  readonly scope: MetricScope
  readonly metric: MetricName
  /** Look-back from now; ≤ 10 min reads raw points, ≤ 1 h 60 s averages, longer 600 s averages. */
  readonly windowMs: number
  readonly limit: number
  readonly nowMs?: number
  readonly db?: Db
}

export interface TopName {
  readonly name: string
  /** Mean over the window; for TOPIC and GROUP series an absent point in a sampled period counts as 0. */
  readonly average: number
}

export async function readTopNames(q: TopNamesQuery): Promise<TopName[]> {
  const client = q.db ?? defaultDb()
  const nowMs = q.nowMs ?? Date.now()
  const resolutionSec = windowResolution(q.windowMs)
  const fromMs = nowMs - q.windowMs
  const limit = Math.max(0, Math.floor(q.limit))
  if (limit === 0) return []
  const where = {
    cluster: q.cluster,
    scope: q.scope,
    metric: q.metric,
    resolutionSec,
    at: { gte: new Date(fromMs), lte: new Date(nowMs) },
  }
  if (isSparseScope(q.scope)) {
    // Every series shares the divisor (the sampled periods), so ranking by sum is ranking by average.
    const [groups, proofs] = await Promise.all([
      client.metricSample.groupBy({
        by: ['name'],
        where,
        _sum: { value: true },
        _count: { _all: true },
        orderBy: [{ _sum: { value: 'desc' } }, { name: 'asc' }],
        take: limit,
      }),
      proofTimes(client, { ...q, resolutionSec, fromMs, toMs: nowMs }),
    ])
    return groups
      .map((g) => ({
        name: g.name,
        average: (g._sum.value ?? 0) / Math.max(proofs.length, g._count._all),
      }))
      .filter((g) => g.average > 0)
  }
  // Dense series (brokers, the cluster) are few: average what is present.
  const groups = await client.metricSample.groupBy({ by: ['name'], where, _avg: { value: true } })
  return groups
    .map((g) => ({ name: g.name, average: g._avg.value ?? 0 }))
    .sort((a, b) => b.average - a.average || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
}
