// A consumer's own report of the queues it holds (GET_CONSUMER_RUNNING_INFO, 307): asked through each master in
// turn, since the broker relays the question over the client's own connection and only the brokers the client
// consumes from have one. The first answer wins; if none relays one, the reasons say why.
import 'server-only'
import type { Capability, ConsumerRunningInfo } from '@/lib/cluster/gateway'
import { getConsumerRunningInfo as runningInfoCall } from './admin-client'
import { mastersOf } from './fan-out'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'

export async function getConsumerRunningInfo(
  ctx: RemoteContext,
  group: string,
  clientId: string,
): Promise<Capability<ConsumerRunningInfo>> {
  const reasons: string[] = []
  for (const master of mastersOf(await ctx.routes.clusterInfo())) {
    try {
      const answer = await runningInfoCall(ctx.transport, master.addr, group, clientId)
      if ('info' in answer)
        return {
          supported: true,
          value: { group, clientId, brokerName: master.brokerName, ...answer.info },
        }
      reasons.push(`${master.brokerName}: ${answer.refused}`)
    } catch (err) {
      if (!isRemoteClusterError(err) || err.kind === 'BAD_RESPONSE') throw err
      reasons.push(`${master.brokerName}: ${err.message}`)
    }
  }
  return {
    supported: false,
    reason:
      reasons.length > 0
        ? `no broker relayed an answer from ${clientId} (${reasons.join('; ')})`
        : 'the cluster has no master broker',
  }
}
