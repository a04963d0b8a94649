// One consumer group member's own report of the queues it holds (the group detail's "queues" view), cached for a
// few seconds per member: each read is relayed by a broker to the client, so it is fetched on demand, never for
// the whole member list at once.
import 'server-only'
import type { Capability, ConsumerRunningInfo } from '@/lib/cluster/gateway'
import type { ConsoleContext } from './console-context'
import { cachedSnapshot } from './snapshot-cache'

const MEMBER_INFO_TTL_MS = 5_000

export interface MemberRunningInfo {
  readonly info: Capability<ConsumerRunningInfo>
  readonly fetchedAtMs: number
}

export async function getMemberRunningInfo(
  ctx: ConsoleContext,
  group: string,
  clientId: string,
): Promise<MemberRunningInfo> {
  const snapshot = await cachedSnapshot(
    ctx.cluster,
    `member\u0000${group}\u0000${clientId}`,
    MEMBER_INFO_TTL_MS,
    () => ctx.gateway.getConsumerRunningInfo(group, clientId),
  )
  return { info: snapshot.value, fetchedAtMs: snapshot.fetchedAtMs }
}
