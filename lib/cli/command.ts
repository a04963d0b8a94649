// What a CLI command is (name, one-line summary, usage, its options, and a run function over the gateway) and
// the helpers every command shares: printing a result as a table or JSON, and the partial-result warning.
import 'server-only'
import type { ClusterGateway, PartialResult } from '@/lib/cluster/gateway'
import type { ArgValues, OptionSpec } from './args'
import { formatJson, type CliIo } from './output'

export interface CommandContext {
  readonly io: CliIo
  readonly values: ArgValues
  readonly json: boolean
  /** Opens the gateway for the -n NameServers (only when the command needs one). */
  readonly gateway: () => ClusterGateway
}

export interface CliCommand {
  readonly name: string
  readonly summary: string
  /** Option lines for --help, e.g. "-t <topic>  the topic". */
  readonly usage: readonly string[]
  readonly options: OptionSpec
  /** Resolves with the exit code. */
  readonly run: (ctx: CommandContext) => Promise<number>
}

/** Tells stderr which brokers did not answer; the data printed is what the others said. */
export function warnPartial(
  ctx: CommandContext,
  result: Pick<PartialResult<unknown>, 'partial' | 'failures'>,
): void {
  if (!result.partial) return
  for (const f of result.failures) ctx.io.err(`warning: partial result, ${f.broker}: ${f.reason}\n`)
}

/** Prints `value` as JSON with --json, else as `render(value)`. */
export function print<T>(ctx: CommandContext, value: T, render: (value: T) => string): void {
  ctx.io.out(ctx.json ? formatJson(value) : render(value))
}

/** Prints a partial result: JSON of the whole result with --json, else the rendered data and warnings. */
export function printPartial<T>(
  ctx: CommandContext,
  result: PartialResult<T>,
  render: (data: T) => string,
): void {
  if (ctx.json) ctx.io.out(formatJson(result))
  else {
    ctx.io.out(render(result.data))
    warnPartial(ctx, result)
  }
}
