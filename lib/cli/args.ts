// Command-line arguments, parsed by node:util parseArgs (strict: unknown options and missing values are
// errors): the options every command shares (-n NameServers, --json, credentials, timeout) and typed readers for
// the per-command values. A bad argument is a UsageError, printed as one line with exit code 2.
import 'server-only'
import { parseArgs, type ParseArgsConfig } from 'node:util'

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

/** Options every command takes (mqadmin's -n, plus mqdeck's). */
export const COMMON_OPTIONS = {
  namesrvAddr: { type: 'string', short: 'n' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  timeout: { type: 'string' },
  'access-key': { type: 'string' },
  'secret-key': { type: 'string' },
} as const satisfies OptionSpec

export type ArgValues = Readonly<Record<string, string | boolean | string[] | undefined>>

export function parseCommandArgs(argv: readonly string[], options: OptionSpec): ArgValues {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, ...options },
      strict: true,
      allowPositionals: true,
    })
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
    return values
  } catch (err) {
    if (err instanceof UsageError) throw err
    // parseArgs' own messages name the option ("Unknown option '--x'", "Option '-t' argument missing").
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0]! : String(err))
  }
}

export function stringArg(values: ArgValues, name: string): string | undefined {
  const v = values[name]
  if (Array.isArray(v)) return v.at(-1)
  return typeof v === 'string' ? v : undefined
}

export function requiredArg(values: ArgValues, name: string, flag: string): string {
  const v = stringArg(values, name)
  if (v === undefined || v.trim() === '') throw new UsageError(`${flag} is required`)
  return v.trim()
}

export function listArg(values: ArgValues, name: string): string[] {
  const v = values[name]
  const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
  return items.flatMap((item) => item.split(/[,\s]+/)).filter((item) => item !== '')
}

export function intArg(values: ArgValues, name: string, flag: string, fallback?: number): number | undefined {
  const v = stringArg(values, name)
  if (v === undefined) return fallback
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`${flag} must be an integer, got ${JSON.stringify(v)}`)
  return Number(v)
}

export function boolArg(values: ArgValues, name: string, flag: string): boolean | undefined {
  const v = stringArg(values, name)
  if (v === undefined) return undefined
  if (v === 'true' || v === 'false') return v === 'true'
  throw new UsageError(`${flag} must be true or false, got ${JSON.stringify(v)}`)
}

const MQADMIN_TIME = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/

/**
 * A point in time: epoch milliseconds, ISO 8601 (with a zone, or local time without), or mqadmin's
 * "yyyy-MM-dd#HH:mm:ss:SSS" (local time, as mqadmin reads it).
 */
export function timeArg(values: ArgValues, name: string, flag: string): number | undefined {
  const v = stringArg(values, name)?.trim()
  if (v === undefined) return undefined
  if (/^\d+$/.test(v)) return Number(v)
  const m = MQADMIN_TIME.exec(v)
  if (m) {
    const [, y, mo, d, h, mi, s, ms] = m.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    return new Date(y, mo - 1, d, h, mi, s, ms).getTime()
  }
  const parsed = Date.parse(v)
  if (Number.isNaN(parsed))
    throw new UsageError(
      `${flag} must be epoch ms, ISO 8601 or yyyy-MM-dd#HH:mm:ss:SSS, got ${JSON.stringify(v)}`,
    )
  return parsed
}
