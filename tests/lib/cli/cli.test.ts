// lib/cli: argument parsing, help, exit codes and table/JSON output of the mqadmin-style commands, run in process
// against an in-memory two-broker cluster through the real remote gateway; and scripts/mqdeck-cli.mjs run as a
// child process (tsx, the "@/" alias and the server-only hook).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { parseCommandArgs, timeArg, UsageError } from '@/lib/cli/args'
import { COMMANDS, runCli, type CliDeps } from '@/lib/cli/main'
import { formatTable } from '@/lib/cli/output'
import { MiniBroker, MiniNameServer } from '../cluster/mini-cluster'

const run = promisify(execFile)

interface Captured {
  code: number
  out: string
  err: string
}

async function cli(argv: string[], env: Record<string, string> = {}, deps?: CliDeps): Promise<Captured> {
  let out = ''
  let err = ''
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), env }, deps)
  return { code, out, err }
}

describe('CLI basics', () => {
  it('prints help for all commands and for one, and exits 2 without a command', async () => {
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const name of [
      'clusterList',
      'topicList',
      'topicRoute',
      'topicStatus',
      'updateTopic',
      'deleteTopic',
      'consumerProgress',
      'consumerConnection',
      'queryMsgById',
      'queryMsgByKey',
      'resetOffsetByTime',
      'sendMessage',
      'dlqList',
      'dlqResend',
    ])
      expect(help.out).toMatch(new RegExp(`^  ${name} `, 'm'))
    expect(COMMANDS).toHaveLength(14)
    const one = await cli(['resetOffsetByTime', '--help'])
    expect(one).toMatchObject({ code: 0, err: '' })
    expect(one.out).toMatch(/-s <time>/)
    expect((await cli([])).code).toBe(2)
  })

  it('refuses bad usage with one line and exit code 2', async () => {
    const unknown = await cli(['topicList', '-n', '127.0.0.1:9876', '--bogus'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/^mqdeck topicList: Unknown option '--bogus'.*\n$/)
    expect(unknown.err.split('\n')).toHaveLength(2)
    expect((await cli(['topicRoute', '-n', '127.0.0.1:9876'])).err).toMatch(/-t <topic> is required/)
    expect((await cli(['topicList'])).err).toMatch(/-n <namesrv> is required/)
    expect((await cli(['topicList', '-n', 'x:1', '--access-key', 'a'])).err).toMatch(
      /both --access-key and --secret-key/,
    )
    expect((await cli(['whatever'])).code).toBe(2)
  })

  it('turns a failed call into exit code 1 and a one-line reason', async () => {
    const failing = {
      listTopics: () => Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'no NameServer answered')),
      close: () => Promise.resolve(),
    } as unknown as ClusterGateway
    const result = await cli(['topicList', '-n', '127.0.0.1:9876'], {}, { makeGateway: () => failing })
    expect(result).toEqual({ code: 1, out: '', err: 'mqdeck topicList: no NameServer answered\n' })
  })

  it('prints partial results with a warning per silent broker', async () => {
    let closed = false
    const partial = {
      listTopics: () =>
        Promise.resolve({
          data: [
            {
              topic: 'T',
              kind: 'NORMAL',
              messageType: 'UNSPECIFIED',
              brokers: [],
              readQueueNums: 4,
              writeQueueNums: 4,
            },
          ],
          partial: true,
          failures: [{ broker: 'broker-b', reason: 'timed out' }],
        }),
      close: () => {
        closed = true
        return Promise.resolve()
      },
    } as unknown as ClusterGateway
    const result = await cli(['topicList', '-n', 'h:1'], {}, { makeGateway: () => partial })
    expect(result.code).toBe(0)
    expect(result.out).toBe(
      'Topic  Kind    Type         Read  Write  Brokers\nT      NORMAL  UNSPECIFIED     4      4\n',
    )
    expect(result.err).toBe('warning: partial result, broker-b: timed out\n')
    expect(closed).toBe(true)
    const json = await cli(['topicList', '-n', 'h:1', '--json'], {}, { makeGateway: () => partial })
    expect(JSON.parse(json.out)).toMatchObject({ partial: true, failures: [{ broker: 'broker-b' }] })
  })

  it('aligns tables: text left, numbers right, missing values as "-"', () => {
    expect(
      formatTable(
        ['Name', 'Count', 'Note'],
        [
          ['a', 5, undefined],
          ['long-name', 123, 'x'],
        ],
      ),
    ).toBe('Name       Count  Note\na              5  -\nlong-name    123  x\n')
  })

  it('reads times as epoch ms, ISO 8601 and mqadmin yyyy-MM-dd#HH:mm:ss:SSS (local time)', () => {
    const values = (s: string) => parseCommandArgs(['-s', s], { timestamp: { type: 'string', short: 's' } })
    expect(timeArg(values('1795830694000'), 'timestamp', '-s')).toBe(1795830694000)
    expect(timeArg(values('2026-11-28T12:00:00Z'), 'timestamp', '-s')).toBe(Date.UTC(2026, 10, 28, 12))
    expect(timeArg(values('2026-11-28#12:00:00:250'), 'timestamp', '-s')).toBe(
      new Date(2026, 10, 28, 12, 0, 0, 250).getTime(),
    )
    expect(() => timeArg(values('yesterday'), 'timestamp', '-s')).toThrow(UsageError)
  })
})

describe('CLI against a cluster', () => {
  let a: MiniBroker
  let b: MiniBroker
  let ns: MiniNameServer

  beforeEach(async () => {
    a = await MiniBroker.start('broker-a')
    b = await MiniBroker.start('broker-b')
    ns = await MiniNameServer.start([a, b])
  })

  afterEach(async () => {
    await Promise.all([a.close(), b.close(), ns.close()])
  })

  it('creates a topic, sends, queries, resets offsets and deletes it', async () => {
    const n = ['-n', ns.addr]
    const created = await cli(['updateTopic', ...n, '-t', 'CliTopic', '-r', '2', '-w', '2'])
    expect(created).toEqual({ code: 0, out: 'updated on broker-a, broker-b\n', err: '' })

    const list = await cli(['topicList', ...n])
    expect(list.out.split('\n')[0]).toBe('Topic     Kind    Type         Read  Write  Brokers')
    expect(list.out).toMatch(/^CliTopic  NORMAL  UNSPECIFIED     4      4  broker-a,broker-b$/m)
    const json = JSON.parse((await cli(['topicList', ...n, '--json'])).out) as { data: { topic: string }[] }
    expect(json.data.map((t) => t.topic)).toEqual(['CliTopic'])

    const route = await cli(['topicRoute', ...n, '-t', 'CliTopic'])
    expect(route.out).toMatch(new RegExp(`^broker-a  DefaultCluster  0=${a.addr}\\s+2\\s+2\\s+6$`, 'm'))

    const sent = await cli([
      'sendMessage',
      ...n,
      '-t',
      'CliTopic',
      '-p',
      'hello cli',
      '-c',
      'TagA',
      '-k',
      'order-1,order-2',
      '--property',
      'src=cli',
    ])
    expect(sent.code).toBe(0)
    const msgId = /^OffsetMsgId: +([0-9A-F]{32})$/m.exec(sent.out)?.[1]
    expect(msgId).toBeDefined()

    const byKey = await cli(['queryMsgByKey', ...n, '-t', 'CliTopic', '-k', 'order-2'])
    expect(byKey.out).toContain(msgId!)
    const byId = await cli(['queryMsgById', ...n, '-i', msgId!])
    expect(byId.out).toMatch(/^Body: +hello cli$/m)
    expect(byId.out).toMatch(/^Keys: +order-1 order-2$/m)
    expect(byId.out).toMatch(/src=cli/)
    expect((await cli(['queryMsgById', ...n, '-i', '7F00000100000001000000000000FFFF'])).code).toBe(1)

    const status = await cli(['topicStatus', ...n, '-t', 'CliTopic'])
    expect(status.out.trim().split('\n')).toHaveLength(5)

    const preview = await cli([
      'resetOffsetByTime',
      ...n,
      '-g',
      'cli_group',
      '-t',
      'CliTopic',
      '-s',
      'latest',
      '--preview',
    ])
    expect(preview.code).toBe(0)
    expect(preview.out).toMatch(/Consumer online: no/)
    const reset = await cli(['resetOffsetByTime', ...n, '-g', 'cli_group', '-t', 'CliTopic', '-s', 'latest'])
    expect(reset.out).toMatch(/Applied by: OFFSET_UPDATE/)
    const progress = await cli(['consumerProgress', ...n, '-g', 'cli_group', '--json'])
    expect(JSON.parse(progress.out)).toMatchObject({ data: { lag: 0 } })
    expect((await cli(['consumerConnection', ...n, '-g', 'cli_group'])).out).toBe(
      'group cli_group has no online consumer\n',
    )

    const deleted = await cli(['deleteTopic', ...n, '-t', 'CliTopic'])
    expect(deleted.out).toBe('deleted CliTopic from broker-a, broker-b\n')
    expect((await cli(['topicRoute', ...n, '-t', 'CliTopic'])).code).toBe(1)
  })

  it('lists DLQs, pages through one and resends from it', async () => {
    a.createTopic('Orders', 1)
    a.createTopic('%DLQ%billing', 1, 2)
    const dead = a.put('%DLQ%billing', 0, 'dead', { RETRY_TOPIC: 'Orders', KEYS: 'k1', UNIQ_KEY: 'AA' })
    const n = ['-n', ns.addr]
    expect((await cli(['dlqList', ...n])).out).toMatch(/^billing  %DLQ%billing\s+1\s+\S+$/m)
    const page = await cli(['dlqList', ...n, '-g', 'billing'])
    expect(page.out).toContain(a.msgIdOf(dead))
    expect(page.out).toMatch(/scanned 1 of 1/)
    const resent = await cli(['dlqResend', ...n, '-g', 'billing', '-i', a.msgIdOf(dead)])
    expect(resent.code).toBe(0)
    expect(resent.out).toMatch(/SENT\s+Orders/)
    const bad = await cli(['dlqResend', ...n, '-g', 'billing', '-i', a.msgIdOf(dead), '--to', 'sideways'])
    expect(bad.code).toBe(2)
  })

  it('runs as an executable (scripts/mqdeck-cli.mjs) with the server-only hook', async () => {
    a.createTopic('ExeTopic', 1)
    const { stdout } = await run(
      process.execPath,
      ['scripts/mqdeck-cli.mjs', 'topicList', '-n', ns.addr, '--json'],
      {
        timeout: 60_000,
      },
    )
    expect((JSON.parse(stdout) as { data: { topic: string }[] }).data.map((t) => t.topic)).toEqual([
      'ExeTopic',
    ])
    const failed = await run(process.execPath, ['scripts/mqdeck-cli.mjs', 'topicRoute', '-n', ns.addr]).catch(
      (e: unknown) => e as { code: number; stderr: string },
    )
    expect(failed).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/-t <topic> is required/) as string,
    })
  })
})
