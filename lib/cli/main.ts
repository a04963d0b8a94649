// The mqdeck CLI: mqadmin-style commands over the remote gateway. runCli() takes the arguments after the program
// name and an output sink, and resolves with the exit code (0 ok, 1 failed, 2 bad usage), so tests run it in
// process; scripts/mqdeck-cli.mjs is the executable that calls it.
import 'server-only'
import { AppError, toAppError } from '@/lib/errors'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { RemoteGateway, type RemoteGatewayOptions } from '@/lib/cluster/remote-gateway'
import { intArg, parseCommandArgs, stringArg, UsageError } from './args'
import type { CliCommand } from './command'
import { clusterList } from './cluster-commands'
import { consumerConnection, consumerProgress, resetOffsetByTime } from './consumer-commands'
import { dlqList, dlqResend } from './dlq-commands'
import { queryMsgById, queryMsgByKey, sendMessage } from './message-commands'
import type { CliIo } from './output'
import { deleteTopic, topicList, topicRoute, topicStatus, updateTopic } from './topic-commands'

export const COMMANDS: readonly CliCommand[] = [
  clusterList,
  topicList,
  topicRoute,
  topicStatus,
  updateTopic,
  deleteTopic,
  consumerProgress,
  consumerConnection,
  resetOffsetByTime,
  queryMsgById,
  queryMsgByKey,
  sendMessage,
  dlqList,
  dlqResend,
]

export interface CliDeps {
  /** Opens a gateway; tests substitute a fake. */
  readonly makeGateway?: (options: RemoteGatewayOptions) => ClusterGateway
}

const COMMON_USAGE = [
  '-n <addr;addr>          NameServer addresses (or the NAMESRV_ADDR environment variable)',
  '--json                  print JSON instead of a table',
  '--timeout <ms>          deadline of each request (default 3000)',
  '--access-key <ak>       ACL credentials (or MQDECK_ACCESS_KEY / MQDECK_SECRET_KEY)',
  '--secret-key <sk>',
  '-h, --help              this help',
]

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'Usage: mqdeck <command> -n <namesrv> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options of every command:',
    ...COMMON_USAGE.map((line) => `  ${line}`),
    '',
    'mqdeck <command> --help shows the options of one command.',
    '',
  ].join('\n')
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: mqdeck ${command.name} -n <namesrv> [options]`,
    '',
    command.summary,
    '',
    ...(command.usage.length > 0 ? ['Options:', ...command.usage.map((line) => `  ${line}`), ''] : []),
    'Options of every command:',
    ...COMMON_USAGE.map((line) => `  ${line}`),
    '',
  ].join('\n')
}

function findCommand(name: string): CliCommand | undefined {
  return (
    COMMANDS.find((c) => c.name === name) ?? COMMANDS.find((c) => c.name.toLowerCase() === name.toLowerCase())
  )
}

function gatewayOptions(values: ReturnType<typeof parseCommandArgs>, io: CliIo): RemoteGatewayOptions {
  const namesrv = stringArg(values, 'namesrvAddr') ?? io.env.NAMESRV_ADDR
  if (namesrv === undefined || namesrv.trim() === '')
    throw new UsageError('-n <namesrv> is required (or set NAMESRV_ADDR)')
  const accessKey = stringArg(values, 'access-key') ?? io.env.MQDECK_ACCESS_KEY
  const secretKey = stringArg(values, 'secret-key') ?? io.env.MQDECK_SECRET_KEY
  if ((accessKey === undefined) !== (secretKey === undefined))
    throw new UsageError('give both --access-key and --secret-key, or neither')
  const timeoutMs = intArg(values, 'timeout', '--timeout')
  if (timeoutMs !== undefined && (timeoutMs < 1 || timeoutMs > 600_000))
    throw new UsageError('--timeout must be from 1 to 600000 ms')
  return {
    namesrvAddrs: namesrv,
    ...(accessKey !== undefined && secretKey !== undefined ? { credentials: { accessKey, secretKey } } : {}),
    ...(timeoutMs !== undefined ? { callTimeoutMs: timeoutMs } : {}),
  }
}

/** Runs one command line; never throws. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    io.err(generalHelp())
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(generalHelp())
    return 0
  }
  const command = findCommand(name)
  if (!command) {
    io.err(`mqdeck: unknown command ${JSON.stringify(name)} (mqdeck --help lists them)\n`)
    return 2
  }
  let gateway: ClusterGateway | undefined
  try {
    const values = parseCommandArgs(rest, command.options)
    if (values.help === true) {
      io.out(commandHelp(command))
      return 0
    }
    const options = gatewayOptions(values, io)
    const make = deps.makeGateway ?? ((o: RemoteGatewayOptions) => new RemoteGateway(o))
    return await command.run({
      io,
      values,
      json: values.json === true,
      gateway: () => (gateway ??= make(options)),
    })
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`mqdeck ${command.name}: ${err.message} (mqdeck ${command.name} --help)\n`)
      return 2
    }
    const app = err instanceof AppError ? err : toAppError(err)
    const detail = app.code === 'INTERNAL' && err instanceof Error ? ` (${err.message})` : ''
    io.err(`mqdeck ${command.name}: ${app.message}${detail}\n`)
    return 1
  } finally {
    await gateway?.close()
  }
}
