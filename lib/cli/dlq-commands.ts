// Dead-letter queue commands: dlqList (every group's DLQ, or one group's dead messages) and dlqResend
// (republish dead messages through a producer to their original topic or the group's retry topic).
import 'server-only'
import { intArg, listArg, requiredArg, stringArg, timeArg, UsageError } from './args'
import { print, printPartial, type CliCommand } from './command'
import { formatTable, formatTime } from './output'

export const dlqList: CliCommand = {
  name: 'dlqList',
  summary: "Groups with dead messages; with -g, that group's dead messages (paged)",
  usage: [
    '-g <group>          one group (omit to list every DLQ)',
    '-b <time>           from (epoch ms or ISO 8601)',
    '-e <time>           until',
    '--page-size <n>     messages per page (default 20)',
    '--cursor <cursor>   continue from the previous page',
  ],
  options: {
    group: { type: 'string', short: 'g' },
    beginTimestamp: { type: 'string', short: 'b' },
    endTimestamp: { type: 'string', short: 'e' },
    'page-size': { type: 'string' },
    cursor: { type: 'string' },
  },
  async run(ctx) {
    const group = stringArg(ctx.values, 'group')
    if (group === undefined) {
      const result = await ctx.gateway().listDlqs()
      printPartial(ctx, result, (dlqs) =>
        formatTable(
          ['Group', 'Topic', 'Messages', 'LastDeath'],
          dlqs.map((d) => [d.group, d.topic, d.messageCount, formatTime(d.lastUpdateTimestampMs)]),
        ),
      )
      return 0
    }
    const result = await ctx.gateway().browseDlq({
      group,
      beginMs: timeArg(ctx.values, 'beginTimestamp', '-b'),
      endMs: timeArg(ctx.values, 'endTimestamp', '-e'),
      pageSize: intArg(ctx.values, 'page-size', '--page-size', 20)!,
      cursor: stringArg(ctx.values, 'cursor'),
    })
    printPartial(ctx, result, (page) => {
      const table = formatTable(
        ['OffsetMsgId', 'OriginTopic', 'Keys', 'Tags', 'Retries', 'StoreTime'],
        page.messages.map((m) => [
          m.msgId,
          m.originTopic,
          m.keys.join(' '),
          m.tags,
          m.reconsumeTimes,
          formatTime(m.storeTimestampMs),
        ]),
      )
      const more = page.nextCursor ? `next page: --cursor ${page.nextCursor}\n` : ''
      return `${table}scanned ${page.scannedTotal} of ${page.totalInRange}\n${more}`
    })
    return 0
  },
}

export const dlqResend: CliCommand = {
  name: 'dlqResend',
  summary: 'Resend dead messages through a producer (no consumer needs to be online)',
  usage: [
    '-g <group>            the group whose DLQ holds them',
    '-i <msgId,...>        offset message ids',
    "--to <origin|retry>   the original topic (default) or the group's retry topic",
  ],
  options: {
    group: { type: 'string', short: 'g' },
    msgId: { type: 'string', short: 'i', multiple: true },
    to: { type: 'string' },
  },
  async run(ctx) {
    const group = requiredArg(ctx.values, 'group', '-g <group>')
    const msgIds = listArg(ctx.values, 'msgId')
    if (msgIds.length === 0) throw new UsageError('-i <msgId,...> is required')
    const to = stringArg(ctx.values, 'to') ?? 'origin'
    if (to !== 'origin' && to !== 'retry') throw new UsageError('--to must be origin or retry')
    const results = await ctx.gateway().resendDlqMessages({
      group,
      msgIds,
      target: to === 'retry' ? 'RETRY_TOPIC' : 'ORIGIN_TOPIC',
    })
    print(ctx, results, (rs) =>
      formatTable(
        ['OffsetMsgId', 'Status', 'Topic', 'NewMsgId', 'Reason'],
        rs.map((r) =>
          r.status === 'SENT'
            ? [r.msgId, r.status, r.topic, r.newMsgId, undefined]
            : [r.msgId, r.status, undefined, undefined, r.reason],
        ),
      ),
    )
    return results.every((r) => r.status === 'SENT') ? 0 : 1
  },
}
