// The database cases both providers must pass (tests/lib/db.test.ts on SQLite, db-postgres.test.ts on
// PostgreSQL): every model operation shape lib/ uses, through the one `Db` type lib/db.ts exports.
import { expect, it } from 'vitest'
import { OperationResult, type DatabaseProvider, type Db } from '@/lib/db'
import { toAppError } from '@/lib/errors'

const T0_MS = Date.UTC(2026, 10, 28, 7, 0, 0)

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (err: unknown) => err,
  )
}

/** Registers the shared cases; `client()` is read per test because the client is made in beforeAll. */
export function databaseCases(provider: DatabaseProvider, client: () => Db): void {
  it('writes and reads an AuditLog row with its snake_case columns and enum', async () => {
    const created = await client().auditLog.create({
      data: {
        actor: 'console',
        action: 'store.sendTestMessage',
        targetType: 'topic',
        targetId: 'TestTopic',
        cluster: null,
        requestJson: JSON.stringify({ topic: 'TestTopic' }),
        result: OperationResult.PENDING,
      },
      select: { id: true, result: true, at: true },
    })
    expect(created.result).toBe(OperationResult.PENDING)
    expect(created.at).toBeInstanceOf(Date)

    await client().auditLog.update({
      where: { id: created.id },
      data: { result: OperationResult.SUCCEEDED, durationMs: 12 },
    })
    const row = await client().auditLog.findUniqueOrThrow({ where: { id: created.id } })
    expect(row).toMatchObject({ result: 'SUCCEEDED', durationMs: 12, targetId: 'TestTopic', errorCode: null })
    const latest = await client().auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })
    expect(latest.id).toBe(created.id)

    // Tagged-template raw SQL binds parameters the provider's way ($1 on PostgreSQL, ? on SQLite).
    const raw = await client().$queryRaw<{ target_type: string; request_json: string }[]>`
      SELECT target_type, request_json FROM audit_log WHERE id = ${created.id}`
    expect(raw).toEqual([{ target_type: 'topic', request_json: '{"topic":"TestTopic"}' }])
  })

  it('turns PENDING audit rows into UNKNOWN with updateMany and counts them', async () => {
    const base = { actor: 'test', action: 'topic.create', targetType: 'topic', requestJson: '{}' }
    await client().auditLog.create({ data: { ...base, targetId: 'P1' } })
    await client().auditLog.create({ data: { ...base, targetId: 'P2' } })
    const { count } = await client().auditLog.updateMany({
      where: { result: OperationResult.PENDING, targetId: { in: ['P1', 'P2'] } },
      data: { result: OperationResult.UNKNOWN },
    })
    expect(count).toBe(2)
    expect(
      await client().auditLog.count({ where: { targetId: { in: ['P1', 'P2'] }, result: 'UNKNOWN' } }),
    ).toBe(2)
  })

  it('maps a duplicate idempotency key (P2002) to CONFLICT', async () => {
    const data = {
      key: `key-${provider}`,
      action: 'store.sendTestMessage',
      requestHash: 'abc',
      expiresAt: new Date(Date.now() + 60_000),
    }
    const first = await client().idempotencyKey.create({ data })
    expect(first).toMatchObject({ status: 'PENDING', responseJson: null })
    const appError = toAppError(await errorOf(client().idempotencyKey.create({ data })))
    expect(appError.code).toBe('CONFLICT')
    expect(appError.details).toMatchObject({ prismaCode: 'P2002' })
  })

  it('maps a missing row (P2025) to NOT_FOUND', async () => {
    const update = client().auditLog.update({ where: { id: 987_654 }, data: { result: 'FAILED' } })
    expect(toAppError(await errorOf(update)).code).toBe('NOT_FOUND')
    const remove = client().clusterConnection.delete({ where: { id: 'never-stored' } })
    expect(toAppError(await errorOf(remove)).code).toBe('NOT_FOUND')
  })

  it('creates, lists, reads, updates and deletes ClusterConnection rows', async () => {
    const created = await client().clusterConnection.create({
      data: { id: 'prod-b', name: 'Production', namesrvAddrs: '10.0.0.1:9876;10.0.0.2:9876' },
    })
    expect(created).toMatchObject({ readOnly: false, accessKey: null, secretKey: null })
    expect(created.createdAt).toBeInstanceOf(Date)
    expect(created.updatedAt).toBeInstanceOf(Date)
    await client().clusterConnection.create({
      data: {
        id: 'prod-a',
        name: 'Production',
        namesrvAddrs: '10.0.1.1:9876',
        readOnly: true,
        accessKey: 'AK',
        secretKey: 'SK',
      },
    })
    await client().clusterConnection.create({
      data: { id: 'dev', name: 'Dev', namesrvAddrs: '127.0.0.1:9876' },
    })

    const rows = await client().clusterConnection.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }] })
    expect(rows.map((r) => r.id)).toEqual(['dev', 'prod-a', 'prod-b'])
    expect(rows[1]).toMatchObject({ readOnly: true, accessKey: 'AK', secretKey: 'SK' })
    expect(await client().clusterConnection.findUnique({ where: { id: 'missing' } })).toBeNull()

    const updated = await client().clusterConnection.update({
      where: { id: 'prod-b' },
      data: { name: 'Production B' },
    })
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime())
    expect(updated.createdAt.getTime()).toBe(created.createdAt.getTime())

    const duplicate = client().clusterConnection.create({
      data: { id: 'dev', name: 'x', namesrvAddrs: 'h:1' },
    })
    expect(toAppError(await errorOf(duplicate)).code).toBe('CONFLICT')

    await client().clusterConnection.delete({ where: { id: 'dev' } })
    expect(await client().clusterConnection.count()).toBe(2)
  })

  it('writes metric samples with createMany and keeps the composite key unique', async () => {
    const at = new Date(T0_MS + 123) // milliseconds survive the round trip on both providers
    const point = { cluster: 'c1', scope: 'TOPIC', name: 'T1', metric: 'PUT_TPS', resolutionSec: 10, at }
    const { count } = await client().metricSample.createMany({
      data: [
        { ...point, value: 12.5 },
        { ...point, name: 'T2', value: 0.25 },
        { ...point, resolutionSec: 60, value: 3 },
      ],
    })
    expect(count).toBe(3)

    const one = await client().metricSample.findUniqueOrThrow({
      where: { cluster_scope_name_metric_resolutionSec_at: point },
    })
    expect(one.value).toBe(12.5)
    expect(one.at.getTime()).toBe(at.getTime())

    const again = client().metricSample.createMany({ data: [{ ...point, value: 1 }] })
    const appError = toAppError(await errorOf(again))
    expect(appError.code).toBe('CONFLICT')
  })

  it('reads metric ranges, groups, aggregates and prunes by resolution and time', async () => {
    const cluster = 'c2'
    const rows = []
    for (let i = 0; i < 12; i++) {
      const at = new Date(T0_MS + i * 10_000)
      rows.push({
        cluster,
        scope: 'CLUSTER',
        name: cluster,
        metric: 'PASSES',
        resolutionSec: 10,
        at,
        value: 1,
      })
      for (const [name, value] of [
        ['A', i],
        ['B', 2 * i],
        ['%DLQ%g', 100],
      ] as const) {
        rows.push({ cluster, scope: 'TOPIC', name, metric: 'PUT_TPS', resolutionSec: 10, at, value })
      }
    }
    await client().metricSample.createMany({ data: rows })
    const minute = { gte: new Date(T0_MS), lt: new Date(T0_MS + 60_000) }

    // One series over a range, oldest first (lib/metrics/read-series.ts).
    const series = await client().metricSample.findMany({
      where: { cluster, scope: 'TOPIC', name: 'A', metric: 'PUT_TPS', resolutionSec: 10, at: minute },
      orderBy: { at: 'asc' },
      select: { at: true, value: true },
    })
    expect(series.map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5])
    expect(series[0]?.at.getTime()).toBe(T0_MS)

    // Several series at once, by name then time (lib/metrics/read-changes.ts).
    const many = await client().metricSample.findMany({
      where: {
        cluster,
        scope: 'TOPIC',
        metric: 'PUT_TPS',
        resolutionSec: 10,
        at: { gte: new Date(T0_MS + 100_000) },
      },
      orderBy: [{ name: 'asc' }, { at: 'asc' }],
      select: { name: true, at: true, value: true },
    })
    expect(many.map((r) => `${r.name}:${r.value}`)).toEqual([
      '%DLQ%g:100',
      '%DLQ%g:100',
      'A:10',
      'A:11',
      'B:20',
      'B:22',
    ])

    // Bucket averages in the database (lib/metrics/downsample.ts).
    const groups = await client().metricSample.groupBy({
      by: ['scope', 'name', 'metric'],
      where: { cluster, resolutionSec: 10, at: minute },
      _sum: { value: true },
      _count: { _all: true },
      orderBy: [{ scope: 'asc' }, { name: 'asc' }],
    })
    expect(groups.map((g) => [g.scope, g.name, g._sum.value, g._count._all])).toEqual([
      ['CLUSTER', cluster, 6, 6],
      ['TOPIC', '%DLQ%g', 600, 6],
      ['TOPIC', 'A', 15, 6],
      ['TOPIC', 'B', 30, 6],
    ])

    // Top names by sum, then name (lib/metrics/read-top-names.ts), and a plain average.
    const top = await client().metricSample.groupBy({
      by: ['name'],
      where: { cluster, scope: 'TOPIC', metric: 'PUT_TPS', resolutionSec: 10, at: minute },
      _sum: { value: true },
      _count: { _all: true },
      orderBy: [{ _sum: { value: 'desc' } }, { name: 'asc' }],
      take: 2,
    })
    expect(top.map((g) => g.name)).toEqual(['%DLQ%g', 'B'])
    const averages = await client().metricSample.groupBy({
      by: ['name'],
      where: { cluster, scope: 'TOPIC', name: 'A', metric: 'PUT_TPS', resolutionSec: 10 },
      _avg: { value: true },
    })
    expect(averages).toEqual([{ name: 'A', _avg: { value: 5.5 } }])

    // Newest pass and the first pass in a range (lib/metrics/downsample.ts, series-query.ts).
    const latest = await client().metricSample.findFirst({
      where: { cluster, scope: 'CLUSTER', name: cluster, metric: 'PASSES', resolutionSec: 10 },
      orderBy: { at: 'desc' },
      select: { at: true },
    })
    expect(latest?.at.getTime()).toBe(T0_MS + 110_000)

    // A bucket rewritten in one transaction (delete the old rollup, write the new one).
    const bucketAt = new Date(T0_MS)
    const rollup = [
      { cluster, scope: 'TOPIC', name: 'A', metric: 'PUT_TPS', resolutionSec: 60, at: bucketAt, value: 2.5 },
    ]
    for (let round = 0; round < 2; round++) {
      await client().$transaction([
        client().metricSample.deleteMany({ where: { cluster, resolutionSec: 60, at: minute } }),
        client().metricSample.createMany({ data: rollup }),
      ])
    }
    expect(await client().metricSample.count({ where: { cluster, resolutionSec: 60 } })).toBe(1)

    // Retention in batches: the boundary row by skip, then delete up to it (lib/metrics/retention.ts).
    const boundary = await client().metricSample.findFirst({
      where: { cluster, resolutionSec: 10, at: { lt: new Date(T0_MS + 60_000) } },
      orderBy: { at: 'asc' },
      skip: 8,
      select: { at: true },
    })
    expect(boundary?.at.getTime()).toBe(T0_MS + 20_000) // 4 rows per pass: rows 8..11 are the third pass
    const firstBatch = await client().metricSample.deleteMany({
      where: { cluster, resolutionSec: 10, at: { lte: boundary?.at } },
    })
    expect(firstBatch.count).toBe(12)
    const rest = await client().metricSample.deleteMany({
      where: { cluster, resolutionSec: 10, at: { lt: new Date(T0_MS + 60_000) } },
    })
    expect(rest.count).toBe(12)
    expect(await client().metricSample.count({ where: { cluster, resolutionSec: 10 } })).toBe(24)
    expect(await client().metricSample.count({ where: { cluster, resolutionSec: 60 } })).toBe(1)
  })

  // More bind parameters (7 per row) than one statement takes (SQLite 32,766; PostgreSQL 65,535), so this proves
  // Prisma splits the insert; sized per provider to keep the suite quick.
  it('writes a sampling pass bigger than one statement in one createMany', async () => {
    const rowCount = provider === 'sqlite' ? 5_000 : 10_000
    const at = new Date(T0_MS)
    const data = Array.from({ length: rowCount }, (_, i) => ({
      cluster: 'big',
      scope: 'TOPIC',
      name: `topic-${i}`,
      metric: 'LAG',
      resolutionSec: 10,
      at,
      value: i,
    }))
    const { count } = await client().metricSample.createMany({ data })
    expect(count).toBe(rowCount)
    const sum = await client().metricSample.aggregate({ where: { cluster: 'big' }, _sum: { value: true } })
    expect(sum._sum.value).toBe(((rowCount - 1) * rowCount) / 2)
    expect((await client().metricSample.deleteMany({ where: { cluster: 'big' } })).count).toBe(rowCount)
  })

  it('rolls back an interactive transaction that throws', async () => {
    const id = `tx-${provider}`
    await expect(
      client().$transaction(async (tx) => {
        await tx.clusterConnection.create({ data: { id, name: 'tx', namesrvAddrs: 'h:1' } })
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await client().clusterConnection.findUnique({ where: { id } })).toBeNull()
  })
}
