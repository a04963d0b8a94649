// The sampler's reads, without a database: the bounded call budget on a 5,000-topic / 2,000-group cluster, topic
// PUT_TPS from offset deltas on a manual clock, sparse series (written while non-zero, once more at 0), the
// round-robin over topics no group consumes and over %DLQ% topics, partial answers, half messages.
import { describe, expect, it } from 'vitest'
import {
  collectSamples,
  DLQ_STATS_PER_PASS_MIN,
  GATEWAY_CALLS_PER_PASS_MAX,
  TOPIC_LIST_REFRESH_MS,
  TOPIC_STATS_PER_PASS_MAX,
  type CollectedPass,
  type SampleRow,
} from '@/lib/metrics/collect-samples'
import { newSamplerState, type SamplerState } from '@/lib/metrics/sampler-state'
import { FakeCluster, type FakeClusterOptions } from './fake-cluster'

function setup(options: FakeClusterOptions) {
  const fake = new FakeCluster(options)
  const state: SamplerState = newSamplerState()
  const pass = () => collectSamples({ cluster: 'c1', gateway: fake.gateway, state, clock: () => fake.nowMs })
  return { fake, state, pass }
}

function value(pass: CollectedPass, scope: string, name: string, metric: string): number | undefined {
  return pass.rows.find((r) => r.scope === scope && r.name === name && r.metric === metric)?.value
}

function rowsOf(pass: CollectedPass, scope: string, metric: string): SampleRow[] {
  return pass.rows.filter((r) => r.scope === scope && r.metric === metric)
}

describe('collectSamples', () => {
  it('costs a bounded number of gateway calls on 5,000 topics and 2,000 groups, whatever the counts', async () => {
    const { fake, pass } = setup({ consumedTopics: 4000, idleTopics: 1000, groups: 2000, dlqGroups: 300 })
    for (let i = 0; i < 20; i++) {
      const before = fake.callCount()
      const p = await pass()
      const calls = fake.callCount() - before
      expect(calls).toBe(p.calls)
      expect(calls).toBeLessThanOrEqual(GATEWAY_CALLS_PER_PASS_MAX)
      expect(p.idleTopicsVisited + p.dlqTopicsVisited).toBe(TOPIC_STATS_PER_PASS_MAX)
      expect(p.dlqTopicsVisited).toBe(DLQ_STATS_PER_PASS_MIN)
      fake.advance(10)
    }
    // The whole-cluster reads once per pass; the topic list once per TOPIC_LIST_REFRESH_MS (200 s passed).
    expect(fake.calls.get('listConsumerGroups')).toBe(20)
    expect(fake.calls.get('getClusterInfo')).toBe(20)
    expect(fake.calls.get('listTopics')).toBe(Math.ceil((20 * 10_000) / TOPIC_LIST_REFRESH_MS))
    expect(fake.calls.get('getTopicStats')).toBe(20 * TOPIC_STATS_PER_PASS_MAX)
  })

  it('derives topic PUT_TPS from the change of the groups’ broker offsets over the manual clock', async () => {
    const { fake, pass } = setup({
      consumedTopics: 3,
      groups: 2,
      tpsOf: (t) => (t === 'topic-0' ? 40 : t === 'topic-1' ? 2.5 : 0),
    })
    const first = await pass()
    // One read is no rate yet: nothing for the topics.
    expect(rowsOf(first, 'TOPIC', 'PUT_TPS')).toEqual([])
    fake.advance(10)
    const second = await pass()
    expect(value(second, 'TOPIC', 'topic-0', 'PUT_TPS')).toBe(40)
    expect(value(second, 'TOPIC', 'topic-1', 'PUT_TPS')).toBe(2.5)
    expect(value(second, 'TOPIC', 'topic-2', 'PUT_TPS')).toBeUndefined()
    fake.setTps('topic-0', 7)
    fake.advance(20)
    const third = await pass()
    expect(value(third, 'TOPIC', 'topic-0', 'PUT_TPS')).toBe(7)
    expect(third.atMs - second.atMs).toBe(20_000)
  })

  it('writes TOPIC and GROUP series while non-zero and once more when they drop to 0', async () => {
    const { fake, pass } = setup({ consumedTopics: 2, groups: 2, lagOf: (g) => (g === 'group-0' ? 10 : 0) })
    const first = await pass()
    expect(value(first, 'GROUP', 'group-0', 'LAG')).toBe(10)
    expect(value(first, 'GROUP', 'group-1', 'LAG')).toBeUndefined()
    expect(value(first, 'CLUSTER', 'c1', 'TOTAL_LAG')).toBe(10)
    fake.lags.set('group-0', 0)
    fake.setTps('topic-0', 0)
    fake.advance(10)
    const second = await pass()
    expect(value(second, 'GROUP', 'group-0', 'LAG')).toBe(0)
    expect(value(second, 'TOPIC', 'topic-1', 'PUT_TPS')).toBe(1)
    expect(value(second, 'TOPIC', 'topic-0', 'PUT_TPS')).toBeUndefined()
    fake.setTps('topic-1', 0)
    fake.advance(10)
    const third = await pass()
    expect(value(third, 'GROUP', 'group-0', 'LAG')).toBeUndefined()
    expect(value(third, 'TOPIC', 'topic-1', 'PUT_TPS')).toBe(0)
    fake.advance(10)
    const fourth = await pass()
    expect(rowsOf(fourth, 'TOPIC', 'PUT_TPS')).toEqual([])
    expect(rowsOf(fourth, 'GROUP', 'LAG')).toEqual([])
    // The CLUSTER series are written by every pass.
    for (const p of [first, second, third, fourth]) {
      expect(value(p, 'CLUSTER', 'c1', 'PASSES')).toBe(1)
      expect(value(p, 'CLUSTER', 'c1', 'GROUPS')).toBe(2)
      expect(value(p, 'CLUSTER', 'c1', 'TOPICS')).toBe(2)
      expect(value(p, 'CLUSTER', 'c1', 'PUT_TPS')).toBe(200)
      expect(value(p, 'CLUSTER', 'c1', 'GET_TPS')).toBe(100)
    }
    expect(value(first, 'BROKER', 'broker-0', 'DISK_RATIO')).toBe(0.5)
  })

  it('visits every topic no group consumes within ceil(N / budget) passes and carries its rate between visits', async () => {
    const idle = 100
    const { fake, pass } = setup({ consumedTopics: 10, groups: 10, idleTopics: idle, tpsOf: () => 3 })
    const passes = Math.ceil(idle / TOPIC_STATS_PER_PASS_MAX)
    const visited = new Set<string>()
    const original = fake.gateway.getTopicStats.bind(fake.gateway)
    fake.gateway.getTopicStats = (topic) => {
      visited.add(topic)
      return original(topic)
    }
    for (let i = 0; i < passes; i++) {
      await pass()
      fake.advance(10)
    }
    expect(visited.size).toBe(idle)
    // Second round: every idle topic now has a rate, written by every pass (carried between visits).
    let last: CollectedPass | undefined
    for (let i = 0; i < passes; i++) {
      last = await pass()
      fake.advance(10)
    }
    const idleRates = rowsOf(last!, 'TOPIC', 'PUT_TPS').filter((r) => r.name.startsWith('idle-'))
    expect(idleRates).toHaveLength(idle)
    for (const r of idleRates) expect(r.value).toBeCloseTo(3, 9)
  })

  it('reads %DLQ%<group> message counts into GROUP DLQ_MESSAGES and their sum into CLUSTER DLQ_MESSAGES', async () => {
    const { fake, pass } = setup({ consumedTopics: 2, groups: 3, dlqGroups: 2 })
    fake.dlqCounts.set('group-0', 4)
    fake.dlqCounts.set('group-1', 0)
    const first = await pass()
    expect(value(first, 'GROUP', 'group-0', 'DLQ_MESSAGES')).toBe(4)
    expect(value(first, 'GROUP', 'group-1', 'DLQ_MESSAGES')).toBeUndefined()
    expect(value(first, 'CLUSTER', 'c1', 'DLQ_MESSAGES')).toBe(4)
    fake.dlqCounts.set('group-1', 6)
    const second = await pass()
    expect(value(second, 'CLUSTER', 'c1', 'DLQ_MESSAGES')).toBe(10)
  })

  it('gives DLQ topics at least their share of the budget and the rest to idle topics', async () => {
    const { pass } = setup({ consumedTopics: 1, groups: 1, idleTopics: 5, dlqGroups: 40 })
    const p = await pass()
    // 5 idle topics take 5; the DLQ topics take the other 27.
    expect(p.idleTopicsVisited).toBe(5)
    expect(p.dlqTopicsVisited).toBe(TOPIC_STATS_PER_PASS_MAX - 5)
  })

  it('still writes what a partial answer gave, without moving topic rate baselines', async () => {
    const { fake, pass } = setup({ consumedTopics: 2, groups: 2, brokers: 2, tpsOf: () => 10 })
    await pass()
    fake.advance(10)
    expect(value(await pass(), 'TOPIC', 'topic-0', 'PUT_TPS')).toBe(10)
    fake.down.add('broker-1')
    fake.advance(10)
    const partial = await pass()
    expect(partial.failures.some((f) => f.includes('partial') && f.includes('broker-1'))).toBe(true)
    expect(value(partial, 'BROKER', 'broker-0', 'PUT_TPS')).toBe(100)
    expect(value(partial, 'BROKER', 'broker-1', 'PUT_TPS')).toBeUndefined()
    expect(value(partial, 'CLUSTER', 'c1', 'PUT_TPS')).toBe(100)
    expect(value(partial, 'GROUP', 'group-0', 'LAG')).toBe(2.5)
    // The half-visible offsets are no drop: the last rate is carried.
    expect(value(partial, 'TOPIC', 'topic-0', 'PUT_TPS')).toBe(10)
    fake.down.clear()
    fake.advance(10)
    // Back whole: the rate spans both intervals, no spike.
    expect(value(await pass(), 'TOPIC', 'topic-0', 'PUT_TPS')).toBe(10)
  })

  it('counts half messages where the cluster can list them, and writes PASSES even when every read fails', async () => {
    const { fake, pass } = setup({ consumedTopics: 1, groups: 1 })
    expect(value(await pass(), 'CLUSTER', 'c1', 'HALF_MESSAGES')).toBeUndefined()
    fake.pendingHalfMessages = 3
    expect(value(await pass(), 'CLUSTER', 'c1', 'HALF_MESSAGES')).toBe(3)
    fake.failWith = 'connect ECONNREFUSED'
    const failed = await pass()
    expect(failed.failures.some((f) => f.startsWith('getClusterInfo: connect ECONNREFUSED'))).toBe(true)
    expect(value(failed, 'CLUSTER', 'c1', 'PASSES')).toBe(1)
    // No GROUPS point: the groups were not read, so their absent points are a gap, not zeros.
    expect(value(failed, 'CLUSTER', 'c1', 'GROUPS')).toBeUndefined()
    expect(value(failed, 'CLUSTER', 'c1', 'PUT_TPS')).toBeUndefined()
  })
})
