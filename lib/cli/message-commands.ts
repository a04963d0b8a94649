// Message commands (mqadmin's names and flags): queryMsgById, queryMsgByKey, sendMessage.
import 'server-only'
import type { MessageView } from '@/lib/cluster/gateway'
import { intArg, listArg, requiredArg, stringArg, timeArg, UsageError } from './args'
import { print, printPartial, type CliCommand } from './command'
import { formatFields, formatTable, formatTime } from './output'

/** The body as text when it is printable UTF-8, else a note. */
function bodyText(m: MessageView): string {
  if (!m.bodyDecoded) return `<${m.compression} compressed, ${m.bodySizeBytes} bytes>`
  const text = Buffer.from(m.bodyBase64, 'base64').toString('utf8')
  // Replacement characters or control characters mean binary content.
  if (text.includes('\uFFFD') || /[\u0000-\u0008\u000E-\u001F]/.test(text))
    return `<binary, ${m.bodySizeBytes} bytes>`
  return m.bodyTruncated ? `${text}… (${m.bodySizeBytes} bytes)` : text
}

export function formatMessage(m: MessageView): string {
  return formatFields([
    ['OffsetMsgId', m.msgId],
    ['UniqKey', m.uniqKey],
    ['Topic', m.topic],
    ['Tags', m.tags],
    ['Keys', m.keys.join(' ') || undefined],
    ['Broker', m.brokerName],
    ['Queue', m.queueId],
    ['QueueOffset', m.queueOffset],
    ['CommitLogOffset', m.commitLogOffset],
    ['ReconsumeTimes', m.reconsumeTimes],
    ['BornTime', formatTime(m.bornTimestampMs)],
    ['StoreTime', formatTime(m.storeTimestampMs)],
    ['BornHost', m.bornHost],
    ['StoreHost', m.storeHost],
    [
      'Properties',
      Object.entries(m.properties)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    ['Body', bodyText(m)],
  ])
}

export const queryMsgById: CliCommand = {
  name: 'queryMsgById',
  summary: 'Find a message by offset message id, or by UNIQ_KEY with -t',
  usage: ['-i <msgId>  an offset message id or a UNIQ_KEY', '-t <topic>  the topic (needed for a UNIQ_KEY)'],
  options: { msgId: { type: 'string', short: 'i' }, topic: { type: 'string', short: 't' } },
  async run(ctx) {
    const msgId = requiredArg(ctx.values, 'msgId', '-i <msgId>')
    const result = await ctx.gateway().viewMessage({ msgId, topic: stringArg(ctx.values, 'topic') })
    if (result.data.length === 0) {
      if (ctx.json) ctx.io.out(JSON.stringify(result, null, 2) + '\n')
      ctx.io.err(`mqdeck: no message ${msgId}${result.partial ? ' (some brokers did not answer)' : ''}\n`)
      return 1
    }
    printPartial(ctx, result, (messages) => messages.map(formatMessage).join('\n'))
    return 0
  },
}

export const queryMsgByKey: CliCommand = {
  name: 'queryMsgByKey',
  summary: 'Find messages by key, optionally within a store-time range',
  usage: [
    '-t <topic>   the topic',
    '-k <key>     the key',
    '-b <time>    from (epoch ms or ISO 8601)',
    '-e <time>    until',
  ],
  options: {
    topic: { type: 'string', short: 't' },
    msgKey: { type: 'string', short: 'k' },
    beginTimestamp: { type: 'string', short: 'b' },
    endTimestamp: { type: 'string', short: 'e' },
  },
  async run(ctx) {
    const result = await ctx.gateway().queryMessagesByKey({
      topic: requiredArg(ctx.values, 'topic', '-t <topic>'),
      key: requiredArg(ctx.values, 'msgKey', '-k <key>'),
      beginMs: timeArg(ctx.values, 'beginTimestamp', '-b'),
      endMs: timeArg(ctx.values, 'endTimestamp', '-e'),
    })
    printPartial(ctx, result, (messages) =>
      formatTable(
        ['OffsetMsgId', 'UniqKey', 'Broker', 'Queue', 'QueueOffset', 'StoreTime', 'Tags'],
        messages.map((m) => [
          m.msgId,
          m.uniqKey,
          m.brokerName,
          m.queueId,
          m.queueOffset,
          formatTime(m.storeTimestampMs),
          m.tags,
        ]),
      ),
    )
    return 0
  },
}

export const sendMessage: CliCommand = {
  name: 'sendMessage',
  summary: 'Send a test message',
  usage: [
    '-t <topic>           the topic',
    '-p <body>            the body (UTF-8)',
    '-c <tag>             a tag',
    '-k <key,...>         keys',
    '--delay <level>      delay level 1..18',
    '--property <k=v>     a user property (repeatable)',
  ],
  options: {
    topic: { type: 'string', short: 't' },
    body: { type: 'string', short: 'p' },
    tags: { type: 'string', short: 'c' },
    keys: { type: 'string', short: 'k', multiple: true },
    delay: { type: 'string' },
    property: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const properties: Record<string, string> = {}
    const raw = ctx.values.property
    for (const pair of Array.isArray(raw) ? raw : []) {
      const at = pair.indexOf('=')
      if (at <= 0) throw new UsageError(`--property must be name=value, got ${JSON.stringify(pair)}`)
      properties[pair.slice(0, at)] = pair.slice(at + 1)
    }
    const keys = listArg(ctx.values, 'keys')
    const result = await ctx.gateway().sendMessage({
      topic: requiredArg(ctx.values, 'topic', '-t <topic>'),
      body: stringArg(ctx.values, 'body') ?? requiredArg(ctx.values, 'body', '-p <body>'),
      tag: stringArg(ctx.values, 'tags'),
      keys: keys.length > 0 ? keys : undefined,
      delayLevel: intArg(ctx.values, 'delay', '--delay'),
      properties: Object.keys(properties).length > 0 ? properties : undefined,
    })
    print(ctx, result, (r) =>
      formatFields([
        ['Status', r.status],
        ['OffsetMsgId', r.msgId],
        ['UniqKey', r.uniqKey],
        ['Broker', r.brokerName],
        ['Queue', r.queueId],
        ['QueueOffset', r.queueOffset],
      ]),
    )
    return 0
  },
}
