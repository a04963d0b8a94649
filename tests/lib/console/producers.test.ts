// The Producers service against a real engine through a RemoteGateway: producer groups found without knowing
// their names, their connections, the filter over client ids, paging, the cached snapshot; and a cluster that
// cannot list producers says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseListParams } from '@/lib/console/list-query'
import { listProducerPage, producerGroupRowOf } from '@/lib/console/producers'
import { startConsoleFixture, type ConsoleFixture } from './console-fixture'

let f: ConsoleFixture
const members: { clientId: string; close(): Promise<void> }[] = []
const TOPIC = 'P5-orders'
const params = (search: string) => parseListParams(new URLSearchParams(search))

beforeAll(async () => {
  f = await startConsoleFixture()
  await f.gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 1, writeQueueNums: 1, perm: 6 })
  for (const name of ['P5-alpha', 'P5-beta', 'P5-gamma'])
    members.push(await f.harness.online!({ group: `${name}-consumer`, topic: TOPIC, producerGroup: name }))
})

afterAll(async () => {
  for (const m of members) await m.close()
  await f?.close()
})

describe('listProducerPage', () => {
  it('lists producer groups with their connections, by name', async () => {
    const page = await listProducerPage(f.context(), params('q=P5-'))
    if (!page.supported) throw new Error(`expected producers to be listable: ${page.reason}`)
    expect(page.page.rows.map((r) => r.producerGroup)).toEqual(['P5-alpha', 'P5-beta', 'P5-gamma'])
    const alpha = page.page.rows[0]!
    expect(alpha.connections).toHaveLength(1)
    expect(alpha.connections[0]).toMatchObject({ producerGroup: 'P5-alpha', clientId: members[0]!.clientId })
    // The standalone broker's GET_ALL_PRODUCER_INFO leaves clientAddr empty (noted for the engine); only its type here.
    expect(typeof alpha.connections[0]!.clientAddr).toBe('string')
    expect(page.connectionsTotal).toBeGreaterThanOrEqual(3)
    expect(page.partial).toBe(false)
  })

  it('filters by client id and pages on the server', async () => {
    const ctx = f.context()
    const byClient = await listProducerPage(ctx, params(`q=${encodeURIComponent(members[1]!.clientId)}`))
    expect(byClient.supported && byClient.page.rows.map((r) => r.producerGroup)).toContain('P5-beta')
    const second = await listProducerPage(ctx, params('q=P5-&pageSize=2&page=2&sort=producerGroup&dir=desc'))
    expect(second.supported && second.page).toMatchObject({ total: 3, pageCount: 2, page: 2 })
    expect(second.supported && second.page.rows.map((r) => r.producerGroup)).toEqual(['P5-alpha'])
  })

  it('reads the cluster once per TTL whatever the page', async () => {
    const ctx = f.context()
    f.counter.reset()
    await listProducerPage(ctx, params('page=1'))
    await listProducerPage(ctx, params('q=beta'))
    expect(f.counter.count('listProducers')).toBe(1)
  })

  it('says why when the cluster cannot list producers', async () => {
    const old = new Proxy(f.gateway, {
      get(target, property, receiver) {
        if (property === 'listProducers')
          return () =>
            Promise.resolve({ supported: false, reason: 'brokers before 5.x cannot list producers' })
        return Reflect.get(target, property, receiver) as unknown
      },
    })
    const page = await listProducerPage({ ...f.context(), gateway: old }, params(''))
    expect(page).toMatchObject({ supported: false, reason: 'brokers before 5.x cannot list producers' })
  })
})

describe('producerGroupRowOf', () => {
  it('takes the newest heartbeat and the distinct languages', () => {
    const conn = (clientId: string, language: string, lastUpdateTimestampMs: number | undefined) => ({
      producerGroup: 'g',
      clientId,
      clientAddr: '10.0.0.1:1',
      language,
      version: 401,
      lastUpdateTimestampMs,
    })
    const row = producerGroupRowOf({
      producerGroup: 'g',
      connections: [conn('b', 'JAVA', 5), conn('a', 'GO', 9), conn('c', 'JAVA', undefined)],
    })
    expect(row.lastHeartbeatMs).toBe(9)
    expect(row.languages).toEqual(['GO', 'JAVA'])
    expect(row.connections.map((c) => c.clientId)).toEqual(['a', 'b', 'c'])
    expect(producerGroupRowOf({ producerGroup: 'g', connections: [] }).lastHeartbeatMs).toBeUndefined()
  })
})
