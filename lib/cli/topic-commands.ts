// Topic commands (mqadmin's names and flags): topicList, topicRoute, topicStatus, updateTopic, deleteTopic.
import 'server-only'
import { intArg, listArg, requiredArg, stringArg, boolArg, UsageError } from './args'
import { print, printPartial, type CliCommand } from './command'
import { formatTable, formatTime } from './output'

const KINDS = ['NORMAL', 'RETRY', 'DLQ', 'SYSTEM']

export const topicList: CliCommand = {
  name: 'topicList',
  summary: 'List topics with their kind, message type, queues and brokers',
  usage: ['--kind <NORMAL|RETRY|DLQ|SYSTEM>  only topics of this kind'],
  options: { kind: { type: 'string' } },
  async run(ctx) {
    const kind = stringArg(ctx.values, 'kind')?.toUpperCase()
    if (kind !== undefined && !KINDS.includes(kind))
      throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`)
    const result = await ctx.gateway().listTopics()
    const topics = kind === undefined ? result.data : result.data.filter((t) => t.kind === kind)
    printPartial(ctx, { ...result, data: topics }, (data) =>
      formatTable(
        ['Topic', 'Kind', 'Type', 'Read', 'Write', 'Brokers'],
        data.map((t) => [
          t.topic,
          t.kind,
          t.messageType,
          t.readQueueNums,
          t.writeQueueNums,
          t.brokers.map((b) => b.brokerName).join(','),
        ]),
      ),
    )
    return 0
  },
}

export const topicRoute: CliCommand = {
  name: 'topicRoute',
  summary: "Show a topic's route: its brokers and their queues",
  usage: ['-t <topic>  the topic'],
  options: { topic: { type: 'string', short: 't' } },
  async run(ctx) {
    const topic = requiredArg(ctx.values, 'topic', '-t <topic>')
    const route = await ctx.gateway().getTopicRoute(topic)
    if (!route) {
      ctx.io.err(`mqdeck: topic ${topic} has no route\n`)
      return 1
    }
    print(ctx, route, (r) =>
      formatTable(
        ['Broker', 'Cluster', 'Addresses', 'Read', 'Write', 'Perm'],
        r.brokers.map((b) => {
          const q = r.queues.find((x) => x.brokerName === b.brokerName)
          const addrs = Object.entries(b.addrs)
            .map(([id, addr]) => `${id}=${addr}`)
            .join(' ')
          return [b.brokerName, b.clusterName, addrs, q?.readQueueNums, q?.writeQueueNums, q?.perm]
        }),
      ),
    )
    return 0
  },
}

export const topicStatus: CliCommand = {
  name: 'topicStatus',
  summary: "Show a topic's queues: min and max offsets and last update",
  usage: ['-t <topic>  the topic'],
  options: { topic: { type: 'string', short: 't' } },
  async run(ctx) {
    const topic = requiredArg(ctx.values, 'topic', '-t <topic>')
    const result = await ctx.gateway().getTopicStats(topic)
    if (!result.data) {
      ctx.io.err(`mqdeck: topic ${topic} does not exist\n`)
      return 1
    }
    printPartial(ctx, result, (stats) =>
      formatTable(
        ['Broker', 'Queue', 'MinOffset', 'MaxOffset', 'LastUpdate'],
        stats!.queues.map((q) => [
          q.brokerName,
          q.queueId,
          q.minOffset,
          q.maxOffset,
          formatTime(q.lastUpdateTimestampMs),
        ]),
      ),
    )
    return 0
  },
}

const MESSAGE_TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'] as const

export const updateTopic: CliCommand = {
  name: 'updateTopic',
  summary: 'Create or update a topic on every master of a cluster or on given brokers',
  usage: [
    '-t <topic>          the topic',
    '-c <cluster>        every master of this cluster, or',
    '-b <broker,...>     these brokers (by name)',
    '-r <n>              read queues (default 8)',
    '-w <n>              write queues (default 8)',
    '-p <perm>           2 write, 4 read, 6 both (default 6)',
    '-o <true|false>     ordered topic',
    '--type <type>       message.type attribute: NORMAL, FIFO, DELAY, TRANSACTION, MIXED',
  ],
  options: {
    topic: { type: 'string', short: 't' },
    clusterName: { type: 'string', short: 'c' },
    brokerName: { type: 'string', short: 'b', multiple: true },
    readQueueNums: { type: 'string', short: 'r' },
    writeQueueNums: { type: 'string', short: 'w' },
    perm: { type: 'string', short: 'p' },
    order: { type: 'string', short: 'o' },
    type: { type: 'string' },
  },
  async run(ctx) {
    const v = ctx.values
    const type = stringArg(v, 'type')?.toUpperCase()
    if (type !== undefined && !(MESSAGE_TYPES as readonly string[]).includes(type))
      throw new UsageError(`--type must be one of ${MESSAGE_TYPES.join(', ')}`)
    const brokerNames = listArg(v, 'brokerName')
    const result = await ctx.gateway().createOrUpdateTopic({
      topic: requiredArg(v, 'topic', '-t <topic>'),
      readQueueNums: intArg(v, 'readQueueNums', '-r', 8)!,
      writeQueueNums: intArg(v, 'writeQueueNums', '-w', 8)!,
      perm: intArg(v, 'perm', '-p', 6)!,
      order: boolArg(v, 'order', '-o'),
      messageType: type as (typeof MESSAGE_TYPES)[number] | undefined,
      clusterName: stringArg(v, 'clusterName'),
      brokerNames: brokerNames.length > 0 ? brokerNames : undefined,
    })
    printPartial(ctx, result, (done) => `updated on ${done.brokerNames.join(', ')}\n`)
    return result.partial ? 1 : 0
  },
}

export const deleteTopic: CliCommand = {
  name: 'deleteTopic',
  summary: 'Delete a topic from its brokers and every NameServer',
  usage: ['-t <topic>    the topic', '-c <cluster>  only from this cluster'],
  options: { topic: { type: 'string', short: 't' }, clusterName: { type: 'string', short: 'c' } },
  async run(ctx) {
    const topic = requiredArg(ctx.values, 'topic', '-t <topic>')
    const result = await ctx
      .gateway()
      .deleteTopic(topic, { clusterName: stringArg(ctx.values, 'clusterName') })
    printPartial(ctx, result, (done) => `deleted ${topic} from ${done.brokerNames.join(', ')}\n`)
    return result.partial ? 1 : 0
  },
}
