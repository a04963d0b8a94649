// Console list benchmark (issue 5): the Topics and Consumer groups list services' server time on a cluster with
// 5,000 topics and 2,000 consumer groups (target < 1 s each). A standalone broker + NameServer in this process,
// read only through a RemoteGateway, as a remote cluster would be. Measured: the cold page (the cluster read
// that fills the per-cluster snapshot, then filter/sort/page; for groups also the page's member reads) and the
// warm pages served from the snapshot while it is fresh (searches, type filters, sorts, paging).
import path from 'node:path'
// lib/ is imported lazily, after `npm run bench` registered tests/bench/allow-server-only.mjs.
import { startStandaloneBroker, type StandaloneBroker } from '../../broker-engine/index'
import { percentile, result, type BenchResult } from './bench-kit'

const TOPICS = 5_000
const GROUPS = 2_000
/** Groups that get committed offsets (so consume stats and lag are not empty). */
const GROUPS_WITH_OFFSETS = 500
const TARGET_MS = 1_000

async function timeMs<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await run()
  return { ms: performance.now() - t0, value }
}

function fill(broker: StandaloneBroker): void {
  const controller = broker.broker
  const topics = Array.from({ length: TOPICS }, (_, i) => ({
    topicName: `bench-topic-${String(i).padStart(5, '0')}`,
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    // A spread of message types so the type filter has work to do.
    attributes: { 'message.type': ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'][i % 4]! },
  }))
  controller.upsertTopics(topics)
  controller.upsertGroups(
    Array.from({ length: GROUPS }, (_, i) => ({
      groupName: `bench-group-${String(i).padStart(5, '0')}`,
      retryMaxTimes: 16,
    })),
  )
  for (let i = 0; i < GROUPS_WITH_OFFSETS; i++) {
    const group = `bench-group-${String(i).padStart(5, '0')}`
    const topic = topics[i % TOPICS]!.topicName
    for (let queueId = 0; queueId < 4; queueId++) controller.commitOffset(group, topic, queueId, 0)
  }
}

export async function consoleListBenchmarks(root: string, quick: boolean): Promise<BenchResult[]> {
  const { RemoteGateway } = await import('../../lib/cluster/remote-gateway')
  const { emptyMetricReads } = await import('../../lib/console/metric-reads')
  const { listTopicPage, parseTopicListParams } = await import('../../lib/console/topics')
  const { listGroupPage, parseGroupListParams } = await import('../../lib/console/groups')
  const { invalidateSnapshots } = await import('../../lib/console/snapshot-cache')

  const broker = await startStandaloneBroker({
    config: { storePathRootDir: path.join(root, 'console-lists'), listenPort: 0, brokerName: 'broker-a' },
    namesrvPort: 0,
    log: () => undefined,
  })
  const gateway = new RemoteGateway({ namesrvAddrs: [broker.namesrvAddr ?? ''] })
  const cluster = 'bench'
  const ctx = { cluster, gateway, metrics: emptyMetricReads }
  try {
    const setup = await timeMs(() => Promise.resolve(fill(broker)))
    // The NameServer learns the topics from the broker's registration; wait until a listing shows them all.
    for (let i = 0; ; i++) {
      const listed = await gateway.listTopics()
      if (listed.data.length >= TOPICS) break
      if (i > 200) throw new Error(`only ${listed.data.length} topics listed`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const topicQueries = [
      '',
      'q=bench-topic-04',
      'type=fifo,delay&sort=queues&dir=desc',
      'sort=name&dir=desc&page=40',
    ]
    const groupQueries = ['', 'q=bench-group-01', 'sort=lag&dir=desc', 'page=20&pageSize=50']
    const rounds = quick ? 3 : 8

    const topicCold: number[] = []
    const topicWarm: number[] = []
    const groupCold: number[] = []
    const groupWarm: number[] = []
    let topicTotal = 0
    let groupTotal = 0
    for (let round = 0; round < rounds; round++) {
      invalidateSnapshots(cluster)
      const cold = await timeMs(() => listTopicPage(ctx, parseTopicListParams(new URLSearchParams(''))))
      topicCold.push(cold.ms)
      topicTotal = cold.value.total
      for (const q of topicQueries)
        topicWarm.push(
          (await timeMs(() => listTopicPage(ctx, parseTopicListParams(new URLSearchParams(q))))).ms,
        )

      invalidateSnapshots(cluster)
      const coldGroups = await timeMs(() => listGroupPage(ctx, parseGroupListParams(new URLSearchParams(''))))
      groupCold.push(coldGroups.ms)
      groupTotal = coldGroups.value.total
      // Warm: the snapshot is fresh, member reads of a new page are not cached (each page reads its own rows).
      for (const q of groupQueries)
        groupWarm.push(
          (await timeMs(() => listGroupPage(ctx, parseGroupListParams(new URLSearchParams(q))))).ms,
        )
    }
    if (topicTotal < TOPICS || groupTotal < GROUPS)
      throw new Error(
        `listed ${topicTotal} topics and ${groupTotal} groups, expected ≥ ${TOPICS} and ${GROUPS}`,
      )
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
    const figures = {
      'console.topics.list.cold.p50': percentile(sorted(topicCold), 50),
      'console.topics.list.cold.max': Math.max(...topicCold),
      'console.topics.list.warm.p50': percentile(sorted(topicWarm), 50),
      'console.groups.list.cold.p50': percentile(sorted(groupCold), 50),
      'console.groups.list.cold.max': Math.max(...groupCold),
      'console.groups.list.warm.p50': percentile(sorted(groupWarm), 50),
    }
    console.log(
      `console lists: ${topicTotal} topics, ${groupTotal} groups (setup ${Math.round(setup.ms)} ms); ` +
        Object.entries(figures)
          .map(([id, ms]) => `${id} ${ms.toFixed(1)} ms`)
          .join(', '),
    )
    return Object.entries(figures).map(([id, ms]) =>
      result(id, ms, 'ms', id.includes('.cold.') ? { target: TARGET_MS, targetKind: 'max' } : {}),
    )
  } finally {
    invalidateSnapshots(cluster)
    await gateway.close()
    await broker.close()
  }
}
