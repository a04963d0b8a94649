// The metrics jobs on real node-cron schedules (a pass every second here) against fake clusters and a real
// SQLite file: clusters sample independently, a failing one logs once per failure streak and once on recovery,
// a pass still running makes its cluster skip ticks, and the jobs are one per process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMetricsJobs, type MetricsJobs } from '@/lib/jobs/metrics-jobs'
import type { SamplePassOutcome } from '@/lib/metrics/sample-cluster'
import { FakeCluster } from '../metrics/fake-cluster'
import { openMetricsDb, type MetricsDb } from '../metrics/metrics-db'

let mdb: MetricsDb

beforeAll(() => {
  mdb = openMetricsDb()
})

afterAll(async () => {
  await mdb?.close()
})

/** Resolves when `predicate` holds after a pass (the jobs' onPass event), checked on every pass. */
function passWatcher() {
  const passes: { cluster: string; outcome: SamplePassOutcome | Error }[] = []
  const waiters: { predicate: () => boolean; resolve: () => void }[] = []
  return {
    passes,
    onPass: (cluster: string, outcome: SamplePassOutcome | Error) => {
      passes.push({ cluster, outcome })
      for (const w of [...waiters])
        if (w.predicate()) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve()
        }
    },
    until(predicate: () => boolean): Promise<void> {
      if (predicate()) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ predicate, resolve }))
    },
    count(cluster: string) {
      return passes.filter((p) => p.cluster === cluster).length
    },
  }
}

describe('startMetricsJobs', () => {
  it('samples clusters independently, logs a failure streak once, skips ticks while a pass runs', async () => {
    const ok = new FakeCluster({ consumedTopics: 3, groups: 2 })
    const bad = new FakeCluster({ consumedTopics: 3, groups: 2 })
    const slow = new FakeCluster({ consumedTopics: 3, groups: 2 })
    bad.failWith = 'connect ECONNREFUSED 10.0.0.9:9876'
    let release!: () => void
    slow.gate = new Promise<void>((resolve) => (release = resolve))
    const logs: string[] = []
    const watcher = passWatcher()
    let jobs: MetricsJobs | undefined
    try {
      jobs = startMetricsJobs({
        clusters: () =>
          Promise.resolve([
            { id: 'ok', gateway: ok.gateway },
            { id: 'bad', gateway: bad.gateway },
            { id: 'slow', gateway: slow.gateway },
          ]),
        db: mdb.client,
        intervalSec: 1,
        log: (m) => logs.push(m),
        onPass: watcher.onPass,
      })
      expect(startMetricsJobs({ clusters: () => Promise.resolve([]) })).toBe(jobs)

      await watcher.until(() => watcher.count('ok') >= 3 && watcher.count('bad') >= 3)
      // The slow cluster's first pass is still waiting: no second one was started beside it.
      expect(watcher.count('slow')).toBe(0)
      expect(slow.calls.get('getClusterInfo')).toBe(1)
      expect(logs.filter((l) => l.includes('bad'))).toHaveLength(1)
      expect(logs[0]).toMatch(/^sampling bad: getClusterInfo: connect ECONNREFUSED/)
      expect(logs.some((l) => l.includes('sampling ok'))).toBe(false)

      bad.failWith = undefined
      const badPasses = watcher.count('bad')
      await watcher.until(() => watcher.count('bad') > badPasses + 1)
      const badLogs = logs.filter((l) => l.includes('bad'))
      expect(badLogs).toHaveLength(2)
      expect(badLogs[1]).toMatch(/^sampling bad recovered after \d+ failed attempts$/)

      release()
      await watcher.until(() => watcher.count('slow') >= 2)
      const okRows = await mdb.client.metricSample.count({ where: { cluster: 'ok', metric: 'PASSES' } })
      expect(okRows).toBeGreaterThanOrEqual(3)
    } finally {
      release()
      await jobs?.stop()
    }
    // Stopped: the next start makes new jobs.
    const again = startMetricsJobs({ clusters: () => Promise.resolve([]), intervalSec: 60 })
    expect(again).not.toBe(jobs)
    await again.stop()
  })

  it('refuses an interval that does not divide a minute', () => {
    expect(() => startMetricsJobs({ clusters: () => Promise.resolve([]), intervalSec: 7 })).toThrow(
      /divide 60/,
    )
  })
})
