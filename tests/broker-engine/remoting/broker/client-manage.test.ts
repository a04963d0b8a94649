import { describe, expect, it } from 'vitest'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import type { RemotingCommand } from '../../../../broker-engine/remoting/remoting-command'
import {
  brokerRequests,
  consumerHeartbeat,
  disconnectProducer,
  ext,
  fixtureRequest,
  producerHeartbeat,
  pullRequest,
  request,
  sendRequest,
  startHarness,
  within,
} from './broker-test-kit'

const GROUP = 'please_rename_unique_group_name_4'
const JAVA_CLIENT_ID = '192.0.2.2@14876#3681210654761'

function consumerList(response: RemotingCommand): string[] {
  return (JSON.parse(response.body!.toString()) as { consumerIdList: string[] }).consumerIdList
}

describe('HEART_BEAT and the consumer group', () => {
  it('registers a consumer from the captured Java heartbeat: group, %RETRY% topic, consumer list, 5.x ext fields', async () => {
    const h = await startHarness()
    const inbox = brokerRequests()
    const client = h.client(inbox.handler)
    const hb = await h.invoke(fixtureRequest('068-java-quickstart-consumer-HEART_BEAT'), client)
    expect(hb.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(hb.version).toBe(401)
    expect(hb.extFields).toEqual({ IS_SUPPORT_HEART_BEAT_V2: 'true', IS_SUB_CHANGE: 'true' })
    expect(h.broker.groups.get(GROUP)).toBeDefined()
    expect(h.broker.topics.get(`%RETRY%${GROUP}`)?.readQueueNums).toBe(1)
    expect(h.broker.clients.producerConnections('CLIENT_INNER_PRODUCER').map((c) => c.clientId)).toEqual([
      JAVA_CLIENT_ID,
    ])

    // Like capture 069, the new member itself is told (oneway, consumerGroup).
    const notify = await within(
      inbox.next(REQUEST_CODE.NOTIFY_CONSUMER_IDS_CHANGED),
      'NOTIFY_CONSUMER_IDS_CHANGED',
    )
    expect(notify.flag & 2).toBe(2)
    expect(notify.extFields).toEqual({ consumerGroup: GROUP })

    const list = await h.invoke(fixtureRequest('071-java-quickstart-consumer-GET_CONSUMER_LIST_BY_GROUP'))
    expect(list.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(list.extFields).toEqual({})
    expect(list.body!.toString()).toBe(`{"consumerIdList":["${JAVA_CLIENT_ID}"]}`)
    // The server side of the client's own connection.
    const serverSide = h.processors.connectionOf(GROUP, JAVA_CLIENT_ID)
    expect(serverSide?.socket.remotePort).toBe((await h.connection(client)).socket.localPort)
  })

  it('tells the first member when a second joins and when it leaves by closing its connection', async () => {
    const h = await startHarness()
    const inbox = brokerRequests()
    const first = h.client(inbox.handler)
    const inProcess: string[][] = []
    h.broker.watchConsumerIds('cg', 'in-process-consumer', (ids) => inProcess.push([...ids]))
    await h.invoke(
      request(REQUEST_CODE.HEART_BEAT, {}, consumerHeartbeat('10.0.0.1@a', 'cg', { T: '*' })),
      first,
    )
    await within(inbox.next(REQUEST_CODE.NOTIFY_CONSUMER_IDS_CHANGED), 'the first NOTIFY')

    const second = h.client()
    await h.invoke(
      request(REQUEST_CODE.HEART_BEAT, {}, consumerHeartbeat('10.0.0.2@b', 'cg', { T: '*' })),
      second,
    )
    const joined = await within(inbox.next(REQUEST_CODE.NOTIFY_CONSUMER_IDS_CHANGED), 'NOTIFY after the join')
    expect(joined.extFields).toEqual({ consumerGroup: 'cg' })
    const both = await h.invoke(request(REQUEST_CODE.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'cg' }))
    expect(consumerList(both)).toEqual(['10.0.0.1@a', '10.0.0.2@b'])
    // A refresh of a known member is no change.
    await h.invoke(
      request(REQUEST_CODE.HEART_BEAT, {}, consumerHeartbeat('10.0.0.2@b', 'cg', { T: '*' })),
      second,
    )

    ;(await h.connection(second)).close()
    await within(inbox.next(REQUEST_CODE.NOTIFY_CONSUMER_IDS_CHANGED), 'NOTIFY after the close')
    const one = await h.invoke(request(REQUEST_CODE.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'cg' }))
    expect(consumerList(one)).toEqual(['10.0.0.1@a'])
    expect(inbox.received.filter((r) => r.code === REQUEST_CODE.NOTIFY_CONSUMER_IDS_CHANGED)).toEqual([])
    // In-process consumers of the group are still told, through the same BrokerController watch.
    expect(inProcess).toContainEqual(['10.0.0.1@a', '10.0.0.2@b'])
    expect(inProcess.at(-1)).toEqual(['10.0.0.1@a'])

    ;(await h.connection(first)).close()
    const none = await within(
      (async () => {
        for (;;) {
          const res = await h.invoke(
            request(REQUEST_CODE.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'cg' }),
          )
          if (res.code !== RESPONSE_CODE.SUCCESS) return res
          await new Promise((resolve) => setImmediate(resolve))
        }
      })(),
      'the group to empty',
    )
    expect(none.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(none.remark).toContain('no consumer for this group')
  })

  it('UNREGISTER_CLIENT removes the client from its group', async () => {
    const h = await startHarness()
    await h.invoke(fixtureRequest('203-java-orderly-consumer-HEART_BEAT'))
    expect(h.broker.clients.consumerIds('capture_orderly_cg')).toEqual(['192.0.2.2@17605#3817639041077'])
    const res = await h.invoke(fixtureRequest('212-java-orderly-consumer-UNREGISTER_CLIENT'))
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(res.extFields).toEqual({})
    expect(h.broker.clients.consumerIds('capture_orderly_cg')).toEqual([])
    const list = await h.invoke(
      request(REQUEST_CODE.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'capture_orderly_cg' }),
    )
    expect(list.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    // Its subscriptions went with it: a pull relying on them is refused.
    const pull = await h.invoke(fixtureRequest('209-java-orderly-consumer-PULL_MESSAGE-suspend'))
    expect(pull.code).toBe(RESPONSE_CODE.SUBSCRIPTION_NOT_EXIST)
  })

  it('registers an ali-ons consumer (no %RETRY% subscription, no producers) and producers from a Java heartbeat', async () => {
    const h = await startHarness()
    const ons = await h.invoke(fixtureRequest('229-ali-ons-smoke-HEART_BEAT'))
    expect(ons.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.broker.clients.consumerIds('CID_smoke_mwzrarbd17898')).toEqual([
      '192.0.2.2@smoke-consumer-mwzrarbd17898',
    ])
    const producer = h.client()
    await h.invoke(fixtureRequest('046-java-quickstart-producer-HEART_BEAT'), producer)
    expect(
      h.broker.clients.producerConnections('please_rename_unique_group_name').map((c) => c.clientId),
    ).toEqual(['192.0.2.2@14524#3655422677736'])
    await disconnectProducer(h, producer, 'please_rename_unique_group_name')
    expect(
      h.processors.connectionOf('please_rename_unique_group_name', '192.0.2.2@14524#3655422677736'),
    ).toBeUndefined()
  })

  it('heartbeat v2: a known fingerprint keeps the subscriptions, a new one asks for full data', async () => {
    const h = await startHarness()
    await h.invoke(sendRequest('V2Topic', 0, 'a', 'TAGS\u0001TagA'))
    await h.invoke(sendRequest('V2Topic', 0, 'b', 'TAGS\u0001TagB'))
    const v2 = (fingerprint: number, withoutSub: boolean) => {
      const body = JSON.parse(consumerHeartbeat('10.0.0.1@v2', 'v2cg', { V2Topic: 'TagB' }).toString()) as {
        consumerDataSet: { subscriptionDataSet: unknown[] }[]
      }
      if (withoutSub) body.consumerDataSet[0]!.subscriptionDataSet = []
      return request(
        REQUEST_CODE.HEART_BEAT,
        {},
        Buffer.from(JSON.stringify({ ...body, heartbeatFingerprint: fingerprint, withoutSub })),
      )
    }
    const fresh = await h.invoke(v2(123, true))
    expect(ext(fresh).IS_SUB_CHANGE).toBe('true')
    expect(ext(await h.invoke(v2(123, false))).IS_SUB_CHANGE).toBe('false')
    expect(ext(await h.invoke(v2(123, true))).IS_SUB_CHANGE).toBe('false')
    // The subscription from the full heartbeat still filters pulls that rely on it.
    const pull = await h.invoke(pullRequest('v2cg', 'V2Topic', 0, 0, { sysFlag: 2 }))
    expect(pull.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.broker.clients.consumerConnections('v2cg')[0]!.subscriptions).toEqual([
      { topic: 'V2Topic', subString: 'TagB' },
    ])
    expect(ext(await h.invoke(v2(456, true))).IS_SUB_CHANGE).toBe('true')
  })

  it('refuses malformed heartbeats without registering anything', async () => {
    const h = await startHarness()
    const noBody = await h.invoke(request(REQUEST_CODE.HEART_BEAT))
    expect(noBody.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(noBody.remark).toContain('needs a JSON body')
    const notJson = await h.invoke(request(REQUEST_CODE.HEART_BEAT, {}, Buffer.from('{"clientID":')))
    expect(notJson.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    const noClient = await h.invoke(
      request(REQUEST_CODE.HEART_BEAT, {}, Buffer.from('{"consumerDataSet":[]}')),
    )
    expect(noClient.remark).toContain('clientID')
    const badGroup = await h.invoke(
      request(REQUEST_CODE.HEART_BEAT, {}, producerHeartbeat('10.0.0.1@x', ['good_group', 'bad group'])),
    )
    expect(badGroup.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(h.broker.clients.producerGroups()).toEqual([])
    const noClientId = await h.invoke(request(REQUEST_CODE.UNREGISTER_CLIENT, { producerGroup: 'g' }))
    expect(noClientId.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(noClientId.remark).toContain('clientID')
  })
})
