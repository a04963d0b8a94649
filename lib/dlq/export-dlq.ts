// Exports a group's dead messages as JSON or CSV: a selection by id, or what a browse range and filter match.
// Bodies: base64 in JSON; in CSV as UTF-8 text when they decode as such, else base64 (a column says which). CSV
// cells go through lib/console/csv.ts, which neutralises formula starters (= + - @ tab CR). Bounded: at most
// DLQ_EXPORT_MESSAGES_MAX messages, each body cut at DLQ_EXPORT_BODY_BYTES_MAX.
import 'server-only'
import { z } from 'zod'
import { dlqTopicOf } from '@/broker-engine/index'
import type { ClusterGateway, MessageView } from '@/lib/cluster/gateway'
import { groupName, messageFilterSchema, messageId } from '@/lib/cluster/gateway-schemas'
import { toCsv } from '@/lib/console/csv'
import { toAppError } from '@/lib/errors'
import { DLQ_EXPORT_IDS_MAX } from './dlq-schemas'
import { dlqRangePages } from './dlq-range-pages'
import { normalizeMsgIds } from './resolve-selection'

export const DLQ_EXPORT_MESSAGES_MAX = 10_000
export const DLQ_EXPORT_BODY_BYTES_MAX = 64 * 1024
const VIEW_PARALLELISM = 8

const epochMs = z.number().int().min(0).max(8_640_000_000_000_000)

export const dlqExportQuerySchema = z.object({
  group: groupName,
  format: z.enum(['json', 'csv']),
  selection: z.union([
    z.object({ msgIds: z.array(messageId).min(1, 'select at least one message').max(DLQ_EXPORT_IDS_MAX) }),
    z.object({
      beginMs: epochMs.optional(),
      endMs: epochMs.optional(),
      filter: messageFilterSchema.optional(),
    }),
  ]),
})

export type DlqExportQuery = z.input<typeof dlqExportQuerySchema>

export interface DlqExport {
  readonly filename: string
  readonly contentType: string
  readonly body: string
  readonly count: number
  /** More messages matched than an export holds. */
  readonly truncated: boolean
}

interface Row {
  readonly message: MessageView
  readonly originTopic: string | undefined
  readonly originMsgId: string | undefined
}

function rowOf(message: MessageView): Row {
  const p = message.properties
  return {
    message,
    originTopic: p.DLQ_ORIGIN_TOPIC ?? p.RETRY_TOPIC,
    originMsgId: p.DLQ_ORIGIN_MESSAGE_ID ?? p.ORIGIN_MESSAGE_ID,
  }
}

async function collect(
  gateway: ClusterGateway,
  query: z.output<typeof dlqExportQuerySchema>,
): Promise<{ rows: Row[]; truncated: boolean }> {
  const { group, selection } = query
  if ('msgIds' in selection) {
    const ids = normalizeMsgIds(selection.msgIds)
    const found = new Array<Row | undefined>(ids.length)
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(VIEW_PARALLELISM, ids.length) }, async () => {
        while (next < ids.length) {
          const i = next++
          const views = await gateway.viewMessage({ msgId: ids[i]!, bodyBytesMax: DLQ_EXPORT_BODY_BYTES_MAX })
          // Only copies in this group's DLQ: an id from elsewhere is not part of the export.
          const dead = views.data.find((m) => m.topic === dlqTopicOf(group))
          found[i] = dead && rowOf(dead)
        }
      }),
    )
    return { rows: found.filter((r): r is Row => r !== undefined), truncated: false }
  }
  const rows: Row[] = []
  for await (const messages of dlqRangePages(gateway, group, selection, {
    bodyBytesMax: DLQ_EXPORT_BODY_BYTES_MAX,
  })) {
    for (const m of messages) {
      if (rows.length === DLQ_EXPORT_MESSAGES_MAX) return { rows, truncated: true }
      rows.push({ message: m, originTopic: m.originTopic, originMsgId: m.originMsgId })
    }
  }
  return { rows, truncated: false }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The body as UTF-8 text when it is valid UTF-8 (and was decoded), else its base64. */
function csvBody(m: MessageView): { encoding: 'utf8' | 'base64'; text: string } {
  if (m.bodyDecoded) {
    try {
      return { encoding: 'utf8', text: utf8.decode(Buffer.from(m.bodyBase64, 'base64')) }
    } catch {
      // Not UTF-8 (or cut inside a character): fall through to base64.
    }
  }
  return { encoding: 'base64', text: m.bodyBase64 }
}

const CSV_HEADER = [
  'msgId',
  'uniqKey',
  'originTopic',
  'originMsgId',
  'storeTime',
  'storeTimestampMs',
  'brokerName',
  'queueId',
  'queueOffset',
  'reconsumeTimes',
  'tags',
  'keys',
  'properties',
  'bodySizeBytes',
  'bodyTruncated',
  'bodyEncoding',
  'body',
] as const

export function formatDlqCsv(rows: readonly Row[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map(({ message: m, originTopic, originMsgId }) => {
      const body = csvBody(m)
      return [
        m.msgId,
        m.uniqKey,
        originTopic,
        originMsgId,
        new Date(m.storeTimestampMs).toISOString(),
        m.storeTimestampMs,
        m.brokerName,
        m.queueId,
        m.queueOffset,
        m.reconsumeTimes,
        m.tags,
        m.keys.join(' '),
        JSON.stringify(m.properties),
        m.bodySizeBytes,
        m.bodyTruncated,
        body.encoding,
        body.text,
      ]
    }),
  )
}

function formatJson(cluster: string, group: string, rows: readonly Row[], truncated: boolean): string {
  return JSON.stringify(
    {
      cluster,
      group,
      exportedAt: new Date().toISOString(),
      truncated,
      messages: rows.map(({ message: m, originTopic, originMsgId }) => ({
        msgId: m.msgId,
        uniqKey: m.uniqKey,
        topic: m.topic,
        originTopic,
        originMsgId,
        brokerName: m.brokerName,
        queueId: m.queueId,
        queueOffset: m.queueOffset,
        storeTimestampMs: m.storeTimestampMs,
        bornTimestampMs: m.bornTimestampMs,
        bornHost: m.bornHost,
        reconsumeTimes: m.reconsumeTimes,
        tags: m.tags,
        keys: m.keys,
        properties: m.properties,
        bodySizeBytes: m.bodySizeBytes,
        bodyTruncated: m.bodyTruncated,
        bodyBase64: m.bodyBase64,
      })),
    },
    null,
    2,
  )
}

/** Reads and formats the export; a file name like `dlq-<group>-<time>.csv`. */
export async function exportDlqMessages(
  cluster: string,
  gateway: ClusterGateway,
  input: DlqExportQuery,
): Promise<DlqExport> {
  let query
  try {
    query = dlqExportQuerySchema.parse(input)
  } catch (err) {
    throw toAppError(err)
  }
  const { rows, truncated } = await collect(gateway, query)
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const safeGroup = query.group.replace(/[^A-Za-z0-9_-]/g, '_')
  const filename = `dlq-${safeGroup}-${stamp}.${query.format}`
  if (query.format === 'csv')
    return {
      filename,
      contentType: 'text/csv; charset=utf-8',
      body: formatDlqCsv(rows),
      count: rows.length,
      truncated,
    }
  return {
    filename,
    contentType: 'application/json; charset=utf-8',
    body: formatJson(cluster, query.group, rows, truncated),
    count: rows.length,
    truncated,
  }
}
