// After a restart: which DLQ messages a stopped server had claimed for resending did it actually send? Each claim
// recorded the UNIQ_KEY its copy was to carry and the target, so the copy is one query-by-UNIQ_KEY away in the
// target topic (RocketMQ indexes UNIQ_KEY per topic). Found: it was sent (record it, never send again); not
// found: it was not (release it, send it now); no answer: leave it unknown rather than risk a second copy.
import 'server-only'
import type { ClusterGateway, DlqResendTarget } from '@/lib/cluster/gateway'
import type { ResentRecord } from './run-resend-job'

/** What a resend job records with each claim before it sends. */
export interface ResendIntent {
  readonly uniqKey: string
  readonly target: DlqResendTarget
}

export function isResendIntent(value: unknown): value is ResendIntent {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.uniqKey === 'string' && (v.target === 'ORIGIN_TOPIC' || v.target === 'RETRY_TOPIC')
}

/** Lookups in flight at once (each is two queries). */
const LOOKUPS_IN_FLIGHT = 8

/**
 * Per DLQ message: its copy when one was sent, null when none was, absent when it could not be told (the DLQ
 * message or its origin topic could not be read, a broker did not answer).
 */
export async function findLostResends(
  gateway: ClusterGateway,
  group: string,
  lost: readonly { readonly msgId: string; readonly intent: ResendIntent }[],
): Promise<Map<string, ResentRecord | null>> {
  const found = new Map<string, ResentRecord | null>()
  let next = 0
  const worker = async () => {
    while (next < lost.length) {
      const { msgId, intent } = lost[next++]!
      try {
        const topic = await targetTopic(gateway, group, msgId, intent.target)
        if (topic === undefined) continue
        const copies = await gateway.viewMessage({ msgId: intent.uniqKey, topic, bodyBytesMax: 0 })
        // A partial answer that found nothing may have missed the broker holding the copy: undecided.
        if (copies.data.length === 0 && copies.partial) continue
        const copy = copies.data.find((m) => m.uniqKey?.toUpperCase() === intent.uniqKey.toUpperCase())
        found.set(msgId, copy ? { newMsgId: copy.msgId, topic, atMs: copy.storeTimestampMs } : null)
      } catch {
        // Undecided: it stays unknown and is reported so.
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_IN_FLIGHT, lost.length) }, worker))
  return found
}

/** The topic the copy went to: the group's retry topic, or the origin topic the DLQ message records. */
async function targetTopic(
  gateway: ClusterGateway,
  group: string,
  msgId: string,
  target: DlqResendTarget,
): Promise<string | undefined> {
  if (target === 'RETRY_TOPIC') return `%RETRY%${group}`
  const dead = await gateway.viewMessage({ msgId, topic: `%DLQ%${group}`, bodyBytesMax: 0 })
  const properties = dead.data[0]?.properties
  return properties?.['DLQ_ORIGIN_TOPIC'] ?? properties?.['RETRY_TOPIC']
}
