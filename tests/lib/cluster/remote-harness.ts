// A conformance harness for the remote gateway: the gateway plus the client acts the suite needs, done over
// remoting like a real client would — consume (PULL_MESSAGE from the committed offset, then
// UPDATE_CONSUMER_OFFSET), deadLetter (CONSUMER_SEND_MSG_BACK with delay level −1, which puts the message in
// the group's DLQ at once) and online (HEART_BEAT as a push consumer and a producer, UNREGISTER_CLIENT on close).
// Works against any broker: `npm run broker`, a real RocketMQ, the in-memory cluster.
import { randomBytes } from 'node:crypto'
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
import { pullNowHeader } from '../../helpers/pull-header'
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
          // A broker that reset the group's offsets (RocketMQ 5's server-side reset) answers the next pull with
          // OFFSET_MOVED to the reset offset, which may be the offset asked for: pull again from there.
          let moves = 0
          for (;;) {
            const pulled = await call(
              addr,
              REQUEST_CODE.PULL_MESSAGE,
              pullNowHeader(group, topic, queueId, offset),
            )
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
            if (pulled.code === RESPONSE_CODE.PULL_OFFSET_MOVED && moves++ < 2) {
              offset = next
              continue
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
    async online({ group, topic, producerGroup }) {
      const route = await gateway.getTopicRoute(topic)
      const addrs = (route?.brokers ?? []).flatMap((b) => (b.addrs['0'] ? [b.addrs['0']] : []))
      if (addrs.length === 0) throw new Error(`no master for ${topic}`)
      const clientId = `127.0.0.1@conformance-${randomBytes(4).toString('hex')}`
      // Its own connections: a broker drops a client's registrations when its connection closes.
      const member = new RemotingClient()
      const heartbeat = Buffer.from(
        JSON.stringify({
          clientID: clientId,
          consumerDataSet: [
            {
              groupName: group,
              consumeType: 'CONSUME_PASSIVELY',
              messageModel: 'CLUSTERING',
              consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
              subscriptionDataSet: [
                {
                  classFilterMode: false,
                  codeSet: [],
                  expressionType: 'TAG',
                  subString: '*',
                  subVersion: Date.now(),
                  tagsSet: [],
                  topic,
                },
              ],
              unitMode: false,
            },
          ],
          producerDataSet: [{ groupName: producerGroup }],
        }),
      )
      for (const addr of addrs) {
        const answer = await member.invoke(
          addr,
          createRequest(REQUEST_CODE.HEART_BEAT, { body: heartbeat }),
          TIMEOUT_MS,
        )
        if (answer.code !== RESPONSE_CODE.SUCCESS) member.close()
        // A broker that takes no heartbeats (REQUEST_CODE_NOT_SUPPORTED) runs with online: false.
        expectOk('HEART_BEAT', answer)
      }
      return {
        clientId,
        async close() {
          for (const addr of addrs)
            expectOk(
              'UNREGISTER_CLIENT',
              await member.invoke(
                addr,
                createRequest(REQUEST_CODE.UNREGISTER_CLIENT, {
                  extFields: { clientID: clientId, consumerGroup: group, producerGroup },
                }),
                TIMEOUT_MS,
              ),
            )
          member.close()
        },
      }
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
