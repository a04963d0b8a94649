// A conformance harness for the remote gateway: the gateway plus the two client acts the suite needs, done over
// remoting like a real client would — consume (PULL_MESSAGE from the committed offset, then
// UPDATE_CONSUMER_OFFSET) and deadLetter (CONSUMER_SEND_MSG_BACK with delay level −1, which puts the message in
// the group's DLQ at once). Works against any broker: `npm run broker`, a real RocketMQ, the in-memory cluster.
import {
  createRequest,
  decodeOffsetMsgId,
  RemotingClient,
  REQUEST_CODE,
  RESPONSE_CODE,
  type ExtFields,
  type RemotingCommand,
} from '@/broker-engine/index'
import { RemoteGateway, type RemoteGatewayOptions } from '@/lib/cluster/remote-gateway'
import { hostText } from '@/lib/cluster/remote/message-view'
import { decodeRemoteRecords } from '@/lib/cluster/remote/record-decoder'
import type { GatewayHarness } from './gateway-conformance'

const TIMEOUT_MS = 5_000

export function remoteHarness(options: RemoteGatewayOptions): Promise<GatewayHarness> {
  const gateway = new RemoteGateway(options)
  const client = new RemotingClient()
  const call = async (addr: string, code: number, extFields: ExtFields): Promise<RemotingCommand> =>
    client.invoke(addr, createRequest(code, { extFields }), TIMEOUT_MS)
  const expectOk = (what: string, response: RemotingCommand) => {
    if (response.code !== RESPONSE_CODE.SUCCESS)
      throw new Error(`${what} answered ${response.code}: ${response.remark ?? ''}`)
    return response
  }
  return Promise.resolve({
    gateway,
    async close() {
      client.close()
      await gateway.close()
    },
    async consume({ topic, group }) {
      const route = await gateway.getTopicRoute(topic)
      if (!route) throw new Error(`no route for ${topic}`)
      let consumed = 0
      for (const broker of route.brokers) {
        const addr = broker.addrs['0']
        const queues = route.queues.find((q) => q.brokerName === broker.brokerName)?.readQueueNums ?? 0
        if (!addr) continue
        for (let queueId = 0; queueId < queues; queueId++) {
          const q = String(queueId)
          const stored = await call(addr, REQUEST_CODE.QUERY_CONSUMER_OFFSET, {
            consumerGroup: group,
            topic,
            queueId: q,
          })
          let offset = stored.code === RESPONSE_CODE.SUCCESS ? Number(stored.extFields?.offset ?? 0) : 0
          for (;;) {
            const pulled = await call(addr, REQUEST_CODE.PULL_MESSAGE, {
              consumerGroup: group,
              topic,
              queueId: q,
              queueOffset: String(offset),
              maxMsgNums: '32',
              sysFlag: '4',
              commitOffset: '0',
              suspendTimeoutMillis: '0',
              subscription: '*',
              subVersion: '0',
              expressionType: 'TAG',
            })
            const next = Number(pulled.extFields?.nextBeginOffset ?? offset)
            if (pulled.code === RESPONSE_CODE.SUCCESS) {
              consumed += decodeRemoteRecords(
                { addr, requestCode: REQUEST_CODE.PULL_MESSAGE },
                pulled.body,
              ).length
            } else if (
              pulled.code !== RESPONSE_CODE.PULL_OFFSET_MOVED &&
              pulled.code !== RESPONSE_CODE.PULL_RETRY_IMMEDIATELY
            ) {
              break
            }
            if (next <= offset) break
            offset = next
          }
          expectOk(
            'UPDATE_CONSUMER_OFFSET',
            await call(addr, REQUEST_CODE.UPDATE_CONSUMER_OFFSET, {
              consumerGroup: group,
              topic,
              queueId: q,
              commitOffset: String(offset),
            }),
          )
        }
      }
      return consumed
    },
    async deadLetter({ group, topic, msgId }) {
      const decoded = decodeOffsetMsgId(msgId)
      if (!decoded) throw new Error(`${msgId} is not an offset message id`)
      expectOk(
        'CONSUMER_SEND_MSG_BACK',
        await call(hostText(decoded.host), REQUEST_CODE.CONSUMER_SEND_MSG_BACK, {
          offset: String(decoded.commitLogOffset),
          group,
          delayLevel: '-1',
          originMsgId: msgId,
          originTopic: topic,
          unitMode: 'false',
          maxReconsumeTimes: '16',
        }),
      )
    },
  })
}
