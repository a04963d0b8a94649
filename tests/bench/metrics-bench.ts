// One metrics sampling pass over a big cluster (issue 5 target: < 2 s): 5,000 topics (4,300 consumed by 2,000
// consumer groups, 500 no group consumes, 200 %DLQ% topics), every topic and group active so every TOPIC and
// GROUP series is written (the worst case for the table), on 4 brokers. The cluster is the in-memory fake of
// the sampler's tests (tests/lib/metrics/fake-cluster.ts): the figure is the sampler's own cost — building ~9,000
// rows and writing them to a real SQLite file — not a remote cluster's answer time (a remote pass adds its
// listConsumerGroups / getClusterInfo round trips and ≤ 32 getTopicStats). Per pass: gateway calls, rows,
// collect and write time, and the CPU time it used; cold = the first pass (also lists topics), warm = the median
// of the following ones.
//
// Runs standalone too: `node --import tsx --import ./tests/bench/allow-server-only.mjs tests/bench/metrics-bench.ts`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { migrateFreshDatabase } from '../helpers/migrate'
import { FakeCluster } from '../lib/metrics/fake-cluster'
import type { SamplePassOutcome } from '../../lib/metrics/sample-cluster'
import { percentile, result, type BenchResult } from './bench-kit'

const PASS_TARGET_MS = 2_000

export async function metricsBenchmarks(root: string, quick: boolean): Promise<BenchResult[]> {
  const { createPrismaClient } = await import('../../lib/db')
  const { sampleCluster } = await import('../../lib/metrics/sample-cluster')
  const { newSamplerState } = await import('../../lib/metrics/sampler-state')
  const { GATEWAY_CALLS_PER_PASS_MAX } = await import('../../lib/metrics/collect-samples')

  const dir = fs.mkdtempSync(path.join(root, 'metrics-'))
  const client = createPrismaClient(migrateFreshDatabase(dir, 'metrics.db'))
  try {
    const fake = new FakeCluster({
      consumedTopics: 4_300,
      idleTopics: 500,
      dlqGroups: 200,
      groups: 2_000,
      brokers: 4,
      tpsOf: (topic) => 1 + (topic.length % 7),
      lagOf: (group) => 10 + (group.length % 13),
    })
    for (let i = 0; i < 200; i++) fake.dlqCounts.set(`group-${i}`, 1 + (i % 5))
    const state = newSamplerState()
    const passes = quick ? 4 : 11
    const outcomes: (SamplePassOutcome & { totalMs: number; cpuMs: number })[] = []
    for (let i = 0; i < passes; i++) {
      const started = performance.now()
      const cpu = process.cpuUsage()
      const outcome = await sampleCluster({
        cluster: 'bench',
        gateway: fake.gateway,
        db: client,
        clock: () => fake.nowMs,
        state,
      })
      const used = process.cpuUsage(cpu)
      outcomes.push({
        ...outcome,
        totalMs: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
      })
      fake.advance(10)
    }
    const cold = outcomes[0]!
    const warm = outcomes.slice(1)
    const median = (pick: (o: (typeof outcomes)[number]) => number) =>
      percentile(
        warm.map(pick).sort((a, b) => a - b),
        50,
      )
    const storedRows = await client.metricSample.count()
    return [
      result('metrics.samplePass.cold', cold.totalMs, 'ms', { target: PASS_TARGET_MS, targetKind: 'max' }),
      result(
        'metrics.samplePass.warm.p50',
        median((o) => o.totalMs),
        'ms',
        {
          target: PASS_TARGET_MS,
          targetKind: 'max',
        },
      ),
      result('metrics.samplePass.warm.max', Math.max(...warm.map((o) => o.totalMs)), 'ms', {
        target: PASS_TARGET_MS,
        targetKind: 'max',
      }),
      // CPU time of this process for the pass (libsql runs in-thread): what the pass costs on an idle core,
      // where wall time on a shared machine also counts waiting for one.
      result(
        'metrics.samplePass.warm.cpu.p50',
        median((o) => o.cpuMs),
        'ms',
      ),
      result(
        'metrics.samplePass.collect.p50',
        median((o) => o.collectMs),
        'ms',
      ),
      result(
        'metrics.samplePass.write.p50',
        median((o) => o.writeMs),
        'ms',
      ),
      result(
        'metrics.samplePass.rows',
        median((o) => o.rowsWritten),
        'rows',
      ),
      result('metrics.samplePass.gatewayCalls', Math.max(...outcomes.map((o) => o.calls)), 'calls', {
        target: GATEWAY_CALLS_PER_PASS_MAX,
        targetKind: 'max',
      }),
      result('metrics.table.rowsAfterPasses', storedRows, 'rows'),
    ]
  } finally {
    await client.$disconnect()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mqdeck-metrics-bench-'))
  try {
    for (const r of await metricsBenchmarks(root, process.argv.includes('--quick')))
      console.log(
        `${r.id.padEnd(36)} ${String(r.value).padStart(8)} ${r.unit}${r.target ? `  (target ≤ ${r.target})` : ''}`,
      )
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}
