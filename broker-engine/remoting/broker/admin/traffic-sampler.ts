// Put and get counters sampled every 10 s for the admin stats RocketMQ keeps per request (StoreStatsService,
// BrokerStatsManager): rates over 10 s / 1 min / 10 min, sums over the last minute, hour and day, and the
// midnight snapshots of the daily totals. The BrokerController counts none of this itself, so every figure is
// derived from what it does keep:
// - puts: the store's count of appended messages (broker) and the sum of a topic's ConsumeQueue max offsets;
// - gets: how far each group's pull offsets moved (the offset manager records where the last pull of each queue
//   ended), summed over (topic, group) pairs known from committed offsets and live subscriptions, from the first
//   sample that sees a pair. Messages a tag filter skipped count as moved past; a reset counts only forwards.
// Like RocketMQ's minute/hour/day stats, a figure is as old as the last sample (at most 10 s).

import { setRepeatingTimer, type Clock, type TimerHandle } from '../../../common/clock'
import type { BrokerController } from '../../../broker/broker-controller'
import { TOPIC_GROUP_SEPARATOR } from '../../../broker/consumer-offset-manager'
import { validateGroupName, validateTopicName } from '../../../broker/topic-validator'
import {
  BROKER_RINGS,
  CounterSeries,
  KEY_RINGS,
  MINUTE_MS,
  SAMPLE_INTERVAL_MS,
  type SeriesStats,
} from './counter-series'

export { SAMPLE_INTERVAL_MS } from './counter-series'
export type { SeriesStats, WindowStats } from './counter-series'

/** Topics and (topic, group) pairs followed at most; beyond this a key simply has no stats. */
export const STATS_KEYS_MAX = 10_000

export interface DailyTotals {
  readonly yesterdayMorning: number
  readonly todayMorning: number
  readonly now: number
}

/** The sampled counters of one broker; start() takes the first sample and then one every SAMPLE_INTERVAL_MS. */
export class TrafficSampler {
  private readonly brokerPut = new CounterSeries(BROKER_RINGS)
  private readonly brokerGet = new CounterSeries(BROKER_RINGS)
  private readonly topicPut = new Map<string, CounterSeries>()
  /** "topic@group" → cumulative pull progress, the pull offset of each queue at the last sample, its series. */
  private readonly pulled = new Map<string, { total: number; offsets: number[]; series: CounterSeries }>()
  private getTotal = 0
  private putDaily = { yesterdayMorning: 0, todayMorning: 0 }
  private getDaily = { yesterdayMorning: 0, todayMorning: 0 }
  private day: string | undefined
  private lastSampleMs: number | undefined
  private timer: TimerHandle | undefined

  constructor(
    private readonly broker: BrokerController,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    if (this.timer) return
    this.sample()
    // A failed sample (the broker shutting down under it) is reported; it must not escape the timer.
    this.timer = setRepeatingTimer(this.clock, SAMPLE_INTERVAL_MS, () => {
      try {
        this.sample()
      } catch (err) {
        this.log(`stats sampling failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    })
  }

  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  /** Takes one sample of every counter now (the timer calls it; tests may too). */
  sample(): void {
    const now = this.clock.nowMs()
    const putTotal = this.putTotal()
    this.sampleTopics(now)
    this.getTotal += this.samplePulls(now)
    this.brokerPut.record(now, putTotal)
    this.brokerGet.record(now, this.getTotal)
    this.rollDay(now, putTotal)
    this.lastSampleMs = now
  }

  /** Messages the store appended since it started (live). */
  putTotal(): number {
    return this.broker.store.getRuntimeStats().putMessageCount
  }

  /** RocketMQ's msgPutTotal* figures: the put total now and as it stood at the last two midnights. */
  putDailyTotals(): DailyTotals {
    return { ...this.putDaily, now: this.putTotal() }
  }

  /** msgGetTotal*: pull progress since sampling started, as of the last sample. */
  getDailyTotals(): DailyTotals {
    return { ...this.getDaily, now: this.getTotal }
  }

  /** Broker put TPS over 10 s, 1 min and 10 min. */
  brokerPutTps(): [number, number, number] {
    return tpsWindows(this.brokerPut)
  }

  /** Broker get TPS (pull progress) over 10 s, 1 min and 10 min. */
  brokerGetTps(): [number, number, number] {
    return tpsWindows(this.brokerGet)
  }

  brokerPutStats(): SeriesStats {
    return this.brokerPut.stats()
  }

  brokerGetStats(): SeriesStats {
    return this.brokerGet.stats()
  }

  /** undefined when the topic is not followed (unknown, or beyond STATS_KEYS_MAX). */
  topicPutStats(topic: string): SeriesStats | undefined {
    return this.topicPut.get(topic)?.stats()
  }

  /** Stats of the group's pulls on the topic; undefined when the pair is not followed. */
  groupGetStats(topic: string, group: string): SeriesStats | undefined {
    return this.pulled.get(topic + TOPIC_GROUP_SEPARATOR + group)?.series.stats()
  }

  private sampleTopics(now: number): void {
    const { topics, store } = this.broker
    const seen = new Set<string>()
    for (const config of topics.list()) {
      const name = config.topicName
      let series = this.topicPut.get(name)
      if (!series) {
        if (this.topicPut.size >= STATS_KEYS_MAX) continue
        series = new CounterSeries(KEY_RINGS)
        this.topicPut.set(name, series)
        // Not there at the previous sample: created since, so everything in it was put since then.
        if (this.lastSampleMs !== undefined) series.record(this.lastSampleMs, 0)
      }
      let total = 0
      const queueNums = Math.max(config.readQueueNums, config.writeQueueNums)
      for (let q = 0; q < queueNums; q++) total += store.getMaxOffsetInQueue(name, q)
      series.record(now, total)
      seen.add(name)
    }
    for (const name of [...this.topicPut.keys()]) if (!seen.has(name)) this.topicPut.delete(name)
  }

  /** Adds each followed pair's pull progress since the last sample; returns the broker-wide increase. */
  private samplePulls(now: number): number {
    const { offsets, topics } = this.broker
    let increase = 0
    const seen = new Set<string>()
    for (const key of this.pullPairs()) {
      const at = key.indexOf(TOPIC_GROUP_SEPARATOR)
      const topic = key.slice(0, at)
      const group = key.slice(at + 1)
      const config = topics.get(topic)
      if (!config) continue
      let state = this.pulled.get(key)
      if (!state) {
        if (this.pulled.size >= STATS_KEYS_MAX) continue
        state = { total: 0, offsets: [], series: new CounterSeries(KEY_RINGS) }
        this.pulled.set(key, state)
      }
      for (let q = 0; q < config.readQueueNums; q++) {
        const offset = offsets.queryPullOffset(group, topic, q)
        const before = state.offsets[q]
        if (before !== undefined && offset > before) {
          state.total += offset - before
          increase += offset - before
        }
        if (offset >= 0) state.offsets[q] = offset
      }
      state.series.record(now, state.total)
      seen.add(key)
    }
    for (const key of [...this.pulled.keys()]) if (!seen.has(key)) this.pulled.delete(key)
    return increase
  }

  /** (topic, group) pairs with committed offsets or a live subscription, as "topic@group" keys. */
  private pullPairs(): Set<string> {
    const { offsets, clients } = this.broker
    const pairs = new Set(Object.keys(offsets.serializeWrapper().offsetTable))
    for (const group of clients.consumerGroups()) {
      if (validateGroupName(group)) continue
      for (const conn of clients.consumerConnections(group)) {
        for (const s of conn.subscriptions)
          if (!validateTopicName(s.topic)) pairs.add(s.topic + TOPIC_GROUP_SEPARATOR + group)
      }
    }
    return pairs
  }

  /** At the first sample of a new local day, today's morning totals move to yesterday (BrokerStats.record). */
  private rollDay(now: number, putTotal: number): void {
    const day = new Date(now).toDateString()
    if (this.day !== undefined && day !== this.day) {
      this.putDaily = { yesterdayMorning: this.putDaily.todayMorning, todayMorning: putTotal }
      this.getDaily = { yesterdayMorning: this.getDaily.todayMorning, todayMorning: this.getTotal }
    }
    this.day = day
  }
}

function tpsWindows(series: CounterSeries): [number, number, number] {
  return [
    series.window(0, SAMPLE_INTERVAL_MS).tps,
    series.window(0, MINUTE_MS).tps,
    series.window(0, 10 * MINUTE_MS).tps,
  ]
}
