// The mqdeck CLI against `npm run broker` in a child process, every command run at least once as a real child
// process (`node scripts/mqdeck-cli.mjs <command> -n <namesrv>`) in the order an operator would: create a topic,
// send, find the message by key and id, consume with a group (so consumerProgress has numbers) while a member is
// online, reset the group's offsets, dead-letter a message, list and resend it, delete the topic. Output is
// checked as tables and as --json, exit codes as 0, or 1 with one line on stderr (unreachable NameServer,
// unknown topic). Checks that gain nothing from a new process (follow-up reads) use runCli in process.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  DlqPage,
  DlqResendResult,
  MessageView,
  PartialResult,
  SendOutcome,
  TopicRoute,
  TopicStats,
  TopicSummary,
  ConsumeStats,
} from '@/lib/cluster/gateway'
import { COMMANDS, runCli } from '@/lib/cli/main'
import { startBrokerChild, type BrokerChild } from '../cluster/broker-child'
import type { GatewayHarness } from '../cluster/gateway-conformance'
import { eventually } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const CLI = path.join(REPO_ROOT, 'scripts', 'mqdeck-cli.mjs')
const CLUSTER = 'CliCluster'
const BROKER_NAME = 'broker-cli'

interface Run {
  readonly code: number
  readonly out: string
  readonly err: string
}

let broker: BrokerChild
let h: GatewayHarness
/** Commands run as child processes so far. */
const childCommands: string[] = []

/** `node scripts/mqdeck-cli.mjs ...argv -n <namesrv>` as a child process (the NameServer unless given). */
function child(argv: readonly string[], namesrv = broker.namesrvAddr): Promise<Run> {
  childCommands.push(argv[0]!)
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...argv, '-n', namesrv],
      { cwd: REPO_ROOT, env: { ...process.env, NAMESRV_ADDR: '' }, timeout: 60_000 },
      (err, out, errText) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        resolve({ code, out, err: errText })
      },
    )
  })
}

/** The same command line through runCli in this process. */
async function inProcess(argv: readonly string[]): Promise<Run> {
  let out = ''
  let err = ''
  const code = await runCli([...argv, '-n', broker.namesrvAddr], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: {},
  })
  return { code, out, err }
}

function json<T>(run: Run): T {
  expect(run, run.err).toMatchObject({ code: 0, err: '' })
  return JSON.parse(run.out) as T
}

/** A text table: header cells and rows, split where two or more spaces separate columns. */
function table(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const split = (line: string) => line.trim().split(/ {2,}/)
  return { header: split(lines[0]!), rows: lines.slice(1).map(split) }
}

/** The row whose cell under `column` is `value`, as column → cell. */
function rowWhere(text: string, column: string, value: string): Record<string, string> | undefined {
  const t = table(text)
  const at = t.header.indexOf(column)
  const row = t.rows.find((r) => r[at] === value)
  return row && Object.fromEntries(t.header.map((name, i) => [name, row[i] ?? '']))
}

/** "Key: value" lines as a record. */
function fields(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^(\w[\w ]*?):\s+(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  )
}

/** A failure: exit 1, nothing on stdout, exactly one line on stderr naming the command. */
function expectOneLineFailure(run: Run, command: string, reason: RegExp): void {
  expect(run.code).toBe(1)
  expect(run.out).toBe('')
  expect(run.err).toMatch(new RegExp(`^mqdeck( ${command})?: [^\\n]+\\n$`))
  expect(run.err).toMatch(reason)
}

beforeAll(async () => {
  broker = await startBrokerChild({ clusterName: CLUSTER, brokerName: BROKER_NAME })
  h = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr], routeTtlMs: 0 })
})

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`npm run broker stderr:\n${broker.stderr()}`)
})

afterAll(async () => {
  await h?.close()
  const code = await broker?.stop()
  if (code !== 0) console.error(`npm run broker exited with ${code}; stderr:\n${broker.stderr()}`)
})

describe('mqdeck CLI against npm run broker', () => {
  const topic = `CliOrders_${Date.now()}`
  const group = `CliBilling_${Date.now()}`
  const key = `order-${Date.now()}`
  let first: SendOutcome

  it('lists the cluster, and fails in one line for an unreachable NameServer and an unknown topic', async () => {
    const [cluster, unreachable, unknown] = await Promise.all([
      child(['clusterList']),
      child(['topicList', '--timeout', '1000'], '127.0.0.1:1'),
      child(['topicRoute', '-t', `NoSuchTopic_${Date.now()}`]),
    ])
    expect(cluster).toMatchObject({ code: 0, err: '' })
    expect(table(cluster.out).header).toEqual([
      'Cluster',
      'Broker',
      'Id',
      'Address',
      'Version',
      'PutTps',
      'GetTps',
      'PutToday',
      'GetToday',
      'Disk',
      'Flush',
    ])
    const row = rowWhere(cluster.out, 'Broker', BROKER_NAME)
    expect(row).toMatchObject({
      Cluster: CLUSTER,
      Id: '0',
      Address: broker.brokerAddr,
      Version: 'V4_9_4',
      PutToday: '0',
      Flush: 'ASYNC_FLUSH',
    })
    expect(row!.Disk).toMatch(/^\d+\.\d%$/)
    expect(table(cluster.out).rows).toHaveLength(1)

    expectOneLineFailure(unreachable, 'topicList', /127\.0\.0\.1:1 is unreachable/)
    expectOneLineFailure(unknown, 'topicRoute', /NoSuchTopic_\d+ has no route/)
  })

  it('creates a topic (updateTopic) and shows it in topicList and topicRoute', async () => {
    const created = await child(['updateTopic', '-t', topic, '-c', CLUSTER, '-r', '4', '-w', '4'])
    expect(created).toEqual({ code: 0, out: `updated on ${BROKER_NAME}\n`, err: '' })
    await eventually(
      () => h.gateway.getTopicRoute(topic),
      (r) => r !== undefined,
    )

    const [list, route] = await Promise.all([
      child(['topicList', '--json']),
      child(['topicRoute', '-t', topic, '--json']),
    ])
    const topics = json<PartialResult<TopicSummary[]>>(list)
    expect(topics.partial).toBe(false)
    expect(topics.data.find((t) => t.topic === topic)).toMatchObject({
      kind: 'NORMAL',
      readQueueNums: 4,
      writeQueueNums: 4,
      brokers: [expect.objectContaining({ brokerName: BROKER_NAME, perm: 6 })],
    })
    expect(topics.data.find((t) => t.topic === 'TBW102')?.kind).toBe('SYSTEM')
    expect(json<TopicRoute>(route)).toEqual({
      topic,
      brokers: [{ brokerName: BROKER_NAME, clusterName: CLUSTER, addrs: { '0': broker.brokerAddr } }],
      queues: [{ brokerName: BROKER_NAME, readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
    })

    // Tables of the same, in process.
    const kinds = await inProcess(['topicList', '--kind', 'normal'])
    expect(rowWhere(kinds.out, 'Topic', topic)).toEqual({
      Topic: topic,
      Kind: 'NORMAL',
      Type: 'UNSPECIFIED',
      Read: '4',
      Write: '4',
      Brokers: BROKER_NAME,
    })
    expect(table(kinds.out).rows.every((r) => r[1] === 'NORMAL')).toBe(true)
    const routeTable = await inProcess(['topicRoute', '-t', topic])
    expect(rowWhere(routeTable.out, 'Broker', BROKER_NAME)).toMatchObject({
      Cluster: CLUSTER,
      Addresses: `0=${broker.brokerAddr}`,
      Read: '4',
      Write: '4',
      Perm: '6',
    })
  })

  it('sends messages (sendMessage) and finds them by key and id, and counts them (topicStatus)', async () => {
    const sent = await child([
      'sendMessage',
      '-t',
      topic,
      '-p',
      'order #1 created',
      '-k',
      key,
      '-c',
      'Created',
      '--property',
      'region=eu',
      '--json',
    ])
    first = json<SendOutcome>(sent)
    expect(first).toMatchObject({ status: 'SEND_OK', topic, brokerName: BROKER_NAME, queueOffset: 0 })
    expect(first.msgId).toMatch(/^[0-9A-F]{32}$/)
    // Four more, in process: table output this time.
    for (let i = 2; i <= 5; i++) {
      const more = await inProcess(['sendMessage', '-t', topic, '-p', `order #${i} created`, '-c', 'Created'])
      expect(more.code).toBe(0)
      expect(fields(more.out)).toMatchObject({ Status: 'SEND_OK', Broker: BROKER_NAME })
      expect(fields(more.out).OffsetMsgId).toMatch(/^[0-9A-F]{32}$/)
    }
    await eventually(
      () => h.gateway.queryMessagesByKey({ topic, key }),
      (r) => r.data.length > 0,
    )

    const [byKey, byId, status] = await Promise.all([
      child(['queryMsgByKey', '-t', topic, '-k', key]),
      child(['queryMsgById', '-i', first.msgId]),
      child(['topicStatus', '-t', topic, '--json']),
    ])
    expect(byKey).toMatchObject({ code: 0, err: '' })
    expect(table(byKey.out).rows).toHaveLength(1)
    expect(rowWhere(byKey.out, 'OffsetMsgId', first.msgId)).toMatchObject({
      UniqKey: first.uniqKey,
      Broker: BROKER_NAME,
      Queue: String(first.queueId),
      QueueOffset: '0',
      Tags: 'Created',
    })
    expect(byId).toMatchObject({ code: 0, err: '' })
    const message = fields(byId.out)
    expect(message).toMatchObject({
      OffsetMsgId: first.msgId,
      UniqKey: first.uniqKey,
      Topic: topic,
      Tags: 'Created',
      Keys: key,
      Broker: BROKER_NAME,
      Queue: String(first.queueId),
      QueueOffset: '0',
      ReconsumeTimes: '0',
      StoreHost: broker.brokerAddr,
      Body: 'order #1 created',
    })
    expect(message.Properties).toContain('region=eu')
    expect(message.StoreTime).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/)

    const stats = json<PartialResult<TopicStats>>(status)
    expect(stats.data.messageCount).toBe(5)
    expect(stats.data.queues.map((q) => q.queueId)).toEqual([0, 1, 2, 3])
    expect(stats.data.queues.reduce((sum, q) => sum + q.maxOffset, 0)).toBe(5)
    expect(stats.data.queues.every((q) => q.minOffset === 0)).toBe(true)

    // The UNIQ_KEY resolves too (with the topic), and an unknown key finds nothing but succeeds.
    const byUniq = await inProcess(['queryMsgById', '-i', first.uniqKey, '-t', topic, '--json'])
    expect(json<PartialResult<MessageView[]>>(byUniq).data.map((m) => m.msgId)).toEqual([first.msgId])
    const none = await inProcess(['queryMsgByKey', '-t', topic, '-k', 'no-such-key', '--json'])
    expect(json<PartialResult<MessageView[]>>(none).data).toEqual([])
  })

  it('shows a consuming group’s progress and members, and resets its offsets by time', async () => {
    await h.gateway.createOrUpdateConsumerGroup({ group })
    expect(await h.consume!({ topic, group })).toBe(5)
    const member = await h.online!({ group, topic, producerGroup: `${group}_producer` })
    try {
      const [progress, connection] = await Promise.all([
        child(['consumerProgress', '-g', group, '--json']),
        child(['consumerConnection', '-g', group]),
      ])
      const stats = json<PartialResult<ConsumeStats>>(progress)
      expect(stats.data).toMatchObject({ group, lag: 0 })
      expect(stats.data.queues).toHaveLength(4)
      expect(stats.data.queues.reduce((sum, q) => sum + q.consumerOffset, 0)).toBe(5)
      expect(stats.data.queues.every((q) => q.topic === topic && q.consumerOffset === q.brokerOffset)).toBe(
        true,
      )

      expect(connection).toMatchObject({ code: 0, err: '' })
      const [members, subscriptions, settings] = connection.out.split('\n\n')
      expect(rowWhere(members!, 'ClientId', member.clientId)).toMatchObject({ Language: 'JAVA' })
      expect(rowWhere(subscriptions!, 'Topic', topic)).toEqual({ Topic: topic, Expression: '*', Type: 'TAG' })
      expect(fields(settings!)).toEqual({
        ConsumeType: 'CONSUME_PASSIVELY',
        MessageModel: 'CLUSTERING',
        ConsumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      })

      // Every group, as a table, in process.
      const all = await inProcess(['consumerProgress'])
      expect(rowWhere(all.out, 'Group', group)).toMatchObject({ Lag: '0', Topics: topic, RetryMax: '16' })

      // Reset to the earliest message: the online group is reset by its broker, all 5 replayed.
      const reset = await child(['resetOffsetByTime', '-g', group, '-t', topic, '-s', 'earliest'])
      expect(reset).toMatchObject({ code: 0, err: '' })
      const [queues, summary] = reset.out.split(/\n(?=Applied by)/)
      expect(table(queues!).header).toEqual(['Broker', 'Queue', 'Current', 'New', 'Skipped', 'Replayed'])
      expect(table(queues!).rows.map((r) => Number(r[3]))).toEqual([0, 0, 0, 0])
      expect(table(queues!).rows.reduce((sum, r) => sum + Number(r[5]), 0)).toBe(5)
      expect(fields(summary!)).toEqual({ 'Applied by': 'BROKER_RESET' })
    } finally {
      await member.close()
    }
    const lagging = await inProcess(['consumerProgress', '-g', group, '-t', topic])
    expect(fields(lagging.out).Lag).toBe('5')
    const consumerRows = table(lagging.out.split(/\n(?=Consume TPS)/)[0]!)
    expect(consumerRows.rows.map((r) => Number(r[4]))).toEqual([0, 0, 0, 0])
    expect(consumerRows.rows.reduce((sum, r) => sum + Number(r[5]), 0)).toBe(5)

    // Offline now, reset to a time after the last message (preview first): nothing left to consume.
    const preview = await inProcess([
      'resetOffsetByTime',
      '-g',
      group,
      '-t',
      topic,
      '-s',
      'latest',
      '--preview',
    ])
    expect(fields(preview.out)['Consumer online']).toBe('no')
    const latest = await inProcess([
      'resetOffsetByTime',
      '-g',
      group,
      '-t',
      topic,
      '-s',
      String(Date.now() + 60_000),
    ])
    // RocketMQ 5 brokers (this one) reset offline groups too, and a reset still pending from the online one
    // would make them ignore plain offset commits.
    expect(fields(latest.out)['Applied by']).toBe('BROKER_RESET')
    expect(fields((await inProcess(['consumerProgress', '-g', group, '-t', topic])).out).Lag).toBe('0')
    const offline = await inProcess(['consumerConnection', '-g', group])
    expect(offline).toEqual({ code: 0, out: `group ${group} has no online consumer\n`, err: '' })
  })

  it('lists a dead message (dlqList) and resends it to its topic (dlqResend)', async () => {
    await h.deadLetter!({ group, topic, msgId: first.msgId })
    await eventually(
      () => h.gateway.listDlqs(),
      (r) => r.data.some((d) => d.group === group),
    )
    const list = await child(['dlqList'])
    expect(list).toMatchObject({ code: 0, err: '' })
    const dlqRow = rowWhere(list.out, 'Group', group)
    expect(dlqRow).toMatchObject({ Topic: `%DLQ%${group}`, Messages: '1' })
    expect(dlqRow!.LastDeath).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/)

    const page = json<PartialResult<DlqPage>>(await inProcess(['dlqList', '-g', group, '--json']))
    expect(page.data.messages).toHaveLength(1)
    const dead = page.data.messages[0]!
    expect(dead).toMatchObject({
      originTopic: topic,
      originMsgId: first.msgId,
      keys: [key],
      reconsumeTimes: 1,
    })
    const deadTable = await inProcess(['dlqList', '-g', group])
    expect(rowWhere(deadTable.out.split('\nscanned')[0]!, 'OffsetMsgId', dead.msgId)).toMatchObject({
      OriginTopic: topic,
      Keys: key,
      Tags: 'Created',
      Retries: '1',
    })
    expect(deadTable.out).toContain('scanned 1 of 1\n')

    const resend = await child(['dlqResend', '-g', group, '-i', dead.msgId])
    expect(resend).toMatchObject({ code: 0, err: '' })
    const sentRow = rowWhere(resend.out, 'OffsetMsgId', dead.msgId)
    expect(sentRow).toMatchObject({ Status: 'SENT', Topic: topic })
    expect(sentRow!.NewMsgId).toMatch(/^[0-9A-F]{32}$/)

    // The resent copy arrived in the topic under the same key; the DLQ copy stays.
    const copies = await eventually(
      () => h.gateway.queryMessagesByKey({ topic, key }),
      (r) => r.data.length === 2,
    )
    const resent = copies.data.find((m) => m.msgId === sentRow!.NewMsgId)
    expect(resent).toMatchObject({ topic, tags: 'Created', keys: [key] })
    expect(resent!.properties.RESENT_FROM_DLQ_MSG_ID).toBe(dead.msgId)
    expect(Buffer.from(resent!.bodyBase64, 'base64').toString()).toBe('order #1 created')
    const status = table((await inProcess(['topicStatus', '-t', topic])).out)
    expect(status.header).toEqual(['Broker', 'Queue', 'MinOffset', 'MaxOffset', 'LastUpdate'])
    expect(status.rows.reduce((sum, r) => sum + Number(r[3]), 0)).toBe(6)
    expect(rowWhere((await inProcess(['dlqList'])).out, 'Group', group)?.Messages).toBe('1')

    // A message that is not in the DLQ is reported, with exit code 1.
    const wrong = await inProcess(['dlqResend', '-g', group, '-i', first.msgId, '--json'])
    expect(wrong.code).toBe(1)
    expect(JSON.parse(wrong.out) as DlqResendResult[]).toEqual([
      expect.objectContaining({ msgId: first.msgId, status: 'NOT_A_DLQ_MESSAGE' }),
    ])
  })

  it('deletes the topic (deleteTopic): gone from topicList, and an unknown topic fails in one line', async () => {
    const deleted = await child(['deleteTopic', '-t', topic])
    expect(deleted).toEqual({ code: 0, out: `deleted ${topic} from ${BROKER_NAME}\n`, err: '' })
    const topics = json<PartialResult<TopicSummary[]>>(await inProcess(['topicList', '--json']))
    expect(topics.data.some((t) => t.topic === topic)).toBe(false)
    await eventually(
      () => h.gateway.getTopicRoute(topic),
      (r) => r === undefined,
    )
    expectOneLineFailure(await inProcess(['topicStatus', '-t', topic]), 'topicStatus', /does not exist/)
    expectOneLineFailure(
      await inProcess(['sendMessage', '-t', topic, '-p', 'late']),
      'sendMessage',
      /has no route/,
    )
    expect((await inProcess(['updateTopic', '-c', CLUSTER])).code).toBe(2)
  })

  it('ran every command at least once as a child process, and few more', () => {
    expect([...new Set(childCommands)].sort()).toEqual(COMMANDS.map((c) => c.name).sort())
    expect(childCommands.length).toBeLessThanOrEqual(COMMANDS.length + 3)
  })
})
