// Consumer group commands (mqadmin's names and flags): consumerProgress, consumerConnection, resetOffsetByTime.
import 'server-only'
import type { OffsetResetTarget } from '@/lib/cluster/gateway'
import { requiredArg, stringArg, timeArg, UsageError } from './args'
import { printPartial, type CliCommand } from './command'
import { formatFields, formatTable, formatTime } from './output'

export const consumerProgress: CliCommand = {
  name: 'consumerProgress',
  summary: "A group's per-queue offsets and lag; without -g, every group with its lag and TPS",
  usage: ['-g <group>  the consumer group (omit to list every group)', '-t <topic>  only this topic'],
  options: { group: { type: 'string', short: 'g' }, topic: { type: 'string', short: 't' } },
  async run(ctx) {
    const group = stringArg(ctx.values, 'group')
    if (group === undefined) {
      const result = await ctx.gateway().listConsumerGroups()
      printPartial(ctx, result, (groups) =>
        formatTable(
          ['Group', 'Lag', 'ConsumeTps', 'Topics', 'RetryMax', 'System'],
          groups.map((g) => [
            g.group,
            g.lag,
            Number(g.consumeTps.toFixed(2)),
            g.topics.map((t) => t.topic).join(','),
            g.config?.retryMaxTimes,
            g.system ? 'yes' : '',
          ]),
        ),
      )
      return 0
    }
    const result = await ctx.gateway().getConsumeStats(group, stringArg(ctx.values, 'topic'))
    printPartial(
      ctx,
      result,
      (stats) =>
        formatTable(
          ['Topic', 'Broker', 'Queue', 'BrokerOffset', 'ConsumerOffset', 'Lag', 'LastConsumed'],
          stats.queues.map((q) => [
            q.topic,
            q.brokerName,
            q.queueId,
            q.brokerOffset,
            q.consumerOffset,
            q.lag,
            formatTime(q.lastTimestampMs),
          ]),
        ) +
        formatFields([
          ['Consume TPS', Number(stats.consumeTps.toFixed(2))],
          ['Lag', stats.lag],
        ]),
    )
    return 0
  },
}

export const consumerConnection: CliCommand = {
  name: 'consumerConnection',
  summary: "A group's online members and subscriptions",
  usage: ['-g <group>  the consumer group'],
  options: { group: { type: 'string', short: 'g' } },
  async run(ctx) {
    const group = requiredArg(ctx.values, 'group', '-g <group>')
    const result = await ctx.gateway().getConsumerConnections(group)
    printPartial(ctx, result, (c) => {
      if (!c.online) return `group ${group} has no online consumer\n`
      return (
        formatTable(
          ['ClientId', 'Address', 'Language', 'Version'],
          c.members.map((m) => [m.clientId, m.clientAddr, m.language, m.version]),
        ) +
        '\n' +
        formatTable(
          ['Topic', 'Expression', 'Type'],
          c.subscriptions.map((s) => [s.topic, s.expression, s.expressionType]),
        ) +
        '\n' +
        formatFields([
          ['ConsumeType', c.consumeType],
          ['MessageModel', c.messageModel],
          ['ConsumeFromWhere', c.consumeFromWhere],
        ])
      )
    })
    return 0
  },
}

export const resetOffsetByTime: CliCommand = {
  name: 'resetOffsetByTime',
  summary: "Reset a group's offsets on a topic to a time (or earliest/latest); works for offline groups",
  usage: [
    '-g <group>   the consumer group',
    '-t <topic>   the topic',
    '-s <time>    epoch ms, ISO 8601, yyyy-MM-dd#HH:mm:ss:SSS, "earliest" or "latest"',
    '--preview    show what would change, change nothing',
  ],
  options: {
    group: { type: 'string', short: 'g' },
    topic: { type: 'string', short: 't' },
    timestamp: { type: 'string', short: 's' },
    preview: { type: 'boolean' },
  },
  async run(ctx) {
    const group = requiredArg(ctx.values, 'group', '-g <group>')
    const topic = requiredArg(ctx.values, 'topic', '-t <topic>')
    const when = requiredArg(ctx.values, 'timestamp', '-s <time>')
    const target: OffsetResetTarget =
      when === 'earliest'
        ? { kind: 'EARLIEST' }
        : when === 'latest'
          ? { kind: 'LATEST' }
          : { kind: 'TIMESTAMP', timestampMs: timeArg(ctx.values, 'timestamp', '-s')! }
    if (target.kind === 'TIMESTAMP' && target.timestampMs < 0)
      throw new UsageError('-s must not be before 1970')
    const request = { group, topic, target }
    const render = (
      queues: readonly {
        brokerName: string
        queueId: number
        currentOffset: number
        newOffset: number
        skipped: number
        replayed: number
      }[],
    ) =>
      formatTable(
        ['Broker', 'Queue', 'Current', 'New', 'Skipped', 'Replayed'],
        queues.map((q) => [q.brokerName, q.queueId, q.currentOffset, q.newOffset, q.skipped, q.replayed]),
      )
    if (ctx.values.preview === true) {
      const preview = await ctx.gateway().previewOffsetReset(request)
      printPartial(
        ctx,
        preview,
        (p) => render(p.queues) + formatFields([['Consumer online', p.consumerOnline ? 'yes' : 'no']]),
      )
      return 0
    }
    const result = await ctx.gateway().resetOffset(request)
    if (result.data.status === 'REFUSED') {
      ctx.io.err(`mqdeck: reset refused: ${result.data.reason}\n`)
      return 1
    }
    const applied = result.data
    printPartial(ctx, result, () => render(applied.queues) + formatFields([['Applied by', applied.method]]))
    return result.partial ? 1 : 0
  },
}
