// The batch admin codes UPDATE_AND_CREATE_TOPIC_LIST (18) and UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225):
// thousands of topics and groups over a standalone broker (port 0) with the seed helper, visible in the tables
// and the NameServer route; RocketMQ 5's body semantics; malformed bodies refused without a crash.

import { afterEach, describe, expect, it } from 'vitest'
import { CONFIG_BATCH_COUNT_MAX } from '../../../../../broker-engine/broker/versioned-config-table'
import { RemotingClient } from '../../../../../broker-engine/remoting/remoting-client'
import { createRequest } from '../../../../../broker-engine/remoting/remoting-command'
import { REQUEST_CODE as C, RESPONSE_CODE as R } from '../../../../../broker-engine/remoting/remoting-codes'
import {
  startStandaloneBroker,
  type StandaloneBroker,
} from '../../../../../broker-engine/standalone/standalone-broker'
import { seedTopicsAndGroups } from '../../../../helpers/seed-cluster'
import { SMALL_STORE, tempStoreDir } from '../../../store/store-test-kit'
import { bodyJson, obj, startAdmin, type AdminHarness } from './admin-test-kit'

const TIMEOUT_MS = 10_000
const opened: { close(): unknown }[] = []
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close()
})

const jsonBody = (value: unknown): Buffer => Buffer.from(JSON.stringify(value))
const topicList = (entries: unknown[]): Buffer => jsonBody({ topicConfigList: entries })
const groupList = (entries: unknown[]): Buffer => jsonBody({ groupConfigList: entries })

describe('seeding thousands of topics and groups over remoting', () => {
  it('creates 2,000 topics and 1,000 groups in a few batches, visible in 21, 201 and the route', async () => {
    const standalone: StandaloneBroker = await startStandaloneBroker({
      config: { ...SMALL_STORE, storePathRootDir: tempStoreDir(), listenPort: 0 },
      namesrvPort: 0,
      log: () => undefined,
    })
    opened.push(standalone)
    const client = new RemotingClient()
    opened.push(client)
    const { broker } = standalone
    const topicVersion = broker.topics.dataVersion.counter
    const groupVersion = broker.groups.dataVersion.counter
    const topics = Array.from({ length: 2000 }, (_, i) => ({
      topicName: `Seed_${i}`,
      readQueueNums: 1 + (i % 8),
      writeQueueNums: 1 + (i % 8),
      ...(i % 10 === 0 ? { attributes: { 'message.type': 'FIFO' } } : {}),
    }))
    const groups = Array.from({ length: 1000 }, (_, i) => ({
      groupName: `GID_seed_${i}`,
      retryMaxTimes: i % 17,
      consumeBroadcastEnable: i % 2 === 0,
      consumeMessageOrderly: i % 3 === 0,
    }))
    await seedTopicsAndGroups(standalone.brokerAddr, { topics, groups })
    // Two batches each: one version bump and one write per batch, not per entry.
    expect(broker.topics.dataVersion.counter).toBe(topicVersion + 2)
    expect(broker.groups.dataVersion.counter).toBe(groupVersion + 1)

    const all = await client.invoke(standalone.brokerAddr, createRequest(C.GET_ALL_TOPIC_CONFIG), TIMEOUT_MS)
    const topicTable = obj(obj(bodyJson(all)).topicConfigTable)
    for (const t of topics) {
      expect(obj(topicTable[t.topicName])).toMatchObject({
        readQueueNums: t.readQueueNums,
        writeQueueNums: t.writeQueueNums,
        perm: 6,
        attributes: t.attributes ?? {},
      })
    }
    const allGroups = await client.invoke(
      standalone.brokerAddr,
      createRequest(C.GET_ALL_SUBSCRIPTIONGROUP_CONFIG),
      TIMEOUT_MS,
    )
    const groupTable = obj(obj(bodyJson(allGroups)).subscriptionGroupTable)
    for (const g of groups) expect(obj(groupTable[g.groupName])).toMatchObject(g)

    const route = await client.invoke(
      standalone.namesrvAddr!,
      createRequest(C.GET_ROUTEINFO_BY_TOPIC, { extFields: { topic: 'Seed_1234' } }),
      TIMEOUT_MS,
    )
    expect(route.code).toBe(R.SUCCESS)
    expect(obj(bodyJson(route)).queueDatas).toEqual([
      expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 3, writeQueueNums: 3, perm: 6 }),
    ])
  })

  it('throws on a refused batch, naming the entry', async () => {
    const h = await startAdmin()
    await expect(
      seedTopicsAndGroups(h.addr, {
        topics: [{ topicName: 'Fine', readQueueNums: 1, writeQueueNums: 1 }],
        groups: [{ groupName: 'GID_ok' }, { groupName: 'GID_bad', retryMaxTimes: -1 }],
      }),
    ).rejects.toThrow(new RegExp(`code ${R.INVALID_PARAMETER}, group entry 1 \\("GID_bad"\\)`))
    expect(h.broker.topics.get('Fine')).toBeDefined()
    expect(h.broker.groups.get('GID_ok')).toBeUndefined()
  })
})

describe('UPDATE_AND_CREATE_TOPIC_LIST body', () => {
  it('reads each entry as a whole TopicConfig: Java defaults for left-out fields, attributes alter', async () => {
    const h = await startAdmin()
    const created = await h.call(
      C.UPDATE_AND_CREATE_TOPIC_LIST,
      undefined,
      topicList([
        { topicName: 'Defaults' },
        {
          topicName: 'Fifo',
          readQueueNums: 2,
          writeQueueNums: 2,
          perm: 6,
          order: true,
          attributes: { '+message.type': 'FIFO', '+x': '1' },
        },
        { topicName: 'Extra', readQueueNums: 1, writeQueueNums: 1, topicMessageType: 'NORMAL' },
      ]),
    )
    expect([created.code, created.remark]).toEqual([R.SUCCESS, 'not set any response code'])
    expect(h.broker.topics.get('Defaults')).toMatchObject({
      readQueueNums: 16,
      writeQueueNums: 16,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
    })
    expect(h.broker.topics.get('Fifo')).toMatchObject({
      order: true,
      attributes: { 'message.type': 'FIFO', x: '1' },
    })
    expect(h.cluster.routeOf('Fifo')?.queueDatas[0]).toMatchObject({ readQueueNums: 2 })
    const changed = await h.call(
      C.UPDATE_AND_CREATE_TOPIC_LIST,
      undefined,
      topicList([{ topicName: 'Fifo', readQueueNums: 4, writeQueueNums: 4, attributes: { '-x': '' } }]),
    )
    expect(changed.code).toBe(R.SUCCESS)
    expect(h.broker.topics.get('Fifo')).toMatchObject({
      readQueueNums: 4,
      order: false,
      attributes: { 'message.type': 'FIFO' },
    })
    expect(h.cluster.routeOf('Fifo')?.queueDatas[0]).toMatchObject({ readQueueNums: 4 })
  })

  it('an unchanged list succeeds without a new version', async () => {
    const h = await startAdmin()
    const body = topicList([{ topicName: 'Same', readQueueNums: 2, writeQueueNums: 2 }])
    expect((await h.call(C.UPDATE_AND_CREATE_TOPIC_LIST, undefined, body)).code).toBe(R.SUCCESS)
    const version = h.broker.topics.dataVersion
    expect((await h.call(C.UPDATE_AND_CREATE_TOPIC_LIST, undefined, body)).code).toBe(R.SUCCESS)
    expect(h.broker.topics.dataVersion).toBe(version)
  })
})

describe('malformed batch bodies', () => {
  const tooMany = (key: string) =>
    jsonBody({ [key]: Array.from({ length: CONFIG_BATCH_COUNT_MAX + 1 }, () => ({})) })
  const ok = { topicName: 'Ok', readQueueNums: 1, writeQueueNums: 1 }

  const topicCases: [string, Buffer | undefined, RegExp][] = [
    ['no body', undefined, /topicConfigList/],
    ['not JSON', Buffer.from('{{{'), /not JSON/],
    ['a JSON array', jsonBody([ok]), /topicConfigList/],
    ['no list', jsonBody({ topics: [ok] }), /topicConfigList is missing/],
    ['a list that is not one', jsonBody({ topicConfigList: { 0: ok } }), /not a list/],
    ['an entry that is not an object', topicList([ok, 7]), /topicConfigList\[1\] is not a TopicConfig/],
    ['too many entries', tooMany('topicConfigList'), new RegExp(`at most ${CONFIG_BATCH_COUNT_MAX}`)],
    [
      'a missing topicName',
      topicList([ok, { readQueueNums: 1 }]),
      /topic entry 1 .*topicName must be a string/,
    ],
    ['a bad topic name', topicList([ok, { topicName: 'bad name' }]), /topic entry 1 \("bad name"\)/],
    ['a system topic', topicList([ok, { topicName: 'TBW102' }]), /conflict with system topic/],
    [
      'a string queue count',
      topicList([ok, { topicName: 'S', readQueueNums: '4' }]),
      /readQueueNums must be a number/,
    ],
    ['a fractional queue count', topicList([{ ...ok, readQueueNums: 1.5 }]), /topic entry 0 .*readQueueNums/],
    ['a bad perm', topicList([{ ...ok, perm: 8 }]), /perm/],
    ['a bad filter type', topicList([{ ...ok, topicFilterType: 'SQL' }]), /topicFilterType/],
    ['a removal while creating', topicList([{ ...ok, attributes: { '-a': '' } }]), /only add attribute/],
    ['MIXED', topicList([{ ...ok, attributes: { '+message.type': 'MIXED' } }]), /MIXED/],
    ['attributes not an object', topicList([{ ...ok, attributes: 'a=1' }]), /attributes must be an object/],
    ['a duplicate topic', topicList([ok, { ...ok }]), /same topic as entry 0/],
  ]
  const groupCases: [string, Buffer | undefined, RegExp][] = [
    ['no body', undefined, /groupConfigList/],
    ['not JSON', Buffer.from('{"groupConfigList":['), /not JSON/],
    [
      'an entry that is not an object',
      groupList([null]),
      /groupConfigList\[0\] is not a SubscriptionGroupConfig/,
    ],
    ['too many entries', tooMany('groupConfigList'), new RegExp(`at most ${CONFIG_BATCH_COUNT_MAX}`)],
    [
      'a bad group name',
      groupList([{ groupName: 'GID_ok' }, { groupName: 'a b' }]),
      /group entry 1 \("a b"\)/,
    ],
    [
      'a boolean as a string',
      groupList([{ groupName: 'G', consumeEnable: 'yes' }]),
      /consumeEnable must be true or false/,
    ],
    [
      'an out-of-range value',
      groupList([{ groupName: 'G', retryMaxTimes: 100_000 }]),
      /group entry 0 .*retryMaxTimes/,
    ],
    ['a duplicate group', groupList([{ groupName: 'G' }, { groupName: 'G' }]), /same group as entry 0/],
  ]

  async function expectRefused(h: AdminHarness, code: number, cases: typeof topicCases): Promise<void> {
    const topicVersion = h.broker.topics.dataVersion
    const groupVersion = h.broker.groups.dataVersion
    for (const [what, body, remark] of cases) {
      const response = await h.invoke(createRequest(code, { body }))
      expect(response.code, what).toBe(R.INVALID_PARAMETER)
      expect(response.remark, what).toMatch(remark)
    }
    expect(h.broker.topics.dataVersion).toBe(topicVersion)
    expect(h.broker.groups.dataVersion).toBe(groupVersion)
    expect(h.broker.topics.get('Ok')).toBeUndefined()
    expect((await h.call(C.GET_ALL_TOPIC_CONFIG)).code).toBe(R.SUCCESS)
    expect(h.logs.filter((l) => l.includes('failed:'))).toEqual([])
  }

  it('18 answers INVALID_PARAMETER naming the problem and changes nothing', async () => {
    await expectRefused(await startAdmin(), C.UPDATE_AND_CREATE_TOPIC_LIST, topicCases)
  })

  it('225 answers INVALID_PARAMETER naming the problem and changes nothing', async () => {
    await expectRefused(await startAdmin(), C.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, groupCases)
  })

  it('a slave refuses both', async () => {
    const h = await startAdmin({ config: { brokerRole: 'SLAVE', brokerId: 1 } })
    for (const [code, body] of [
      [C.UPDATE_AND_CREATE_TOPIC_LIST, topicList([ok])],
      [C.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, groupList([{ groupName: 'G' }])],
    ] as const) {
      const response = await h.invoke(createRequest(code, { body }))
      expect(response.code).toBe(R.SYSTEM_ERROR)
      expect(response.remark).toMatch(/slave/)
    }
  })
})
