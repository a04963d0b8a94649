// The broker's JSON config files (config/topics.json, subscriptionGroup.json, consumerOffset.json, ...): a write
// never leaves a half-written file in place, the previous copy is kept as `.bak`, and a load falls back to it.
//
// persist: write <file>.tmp, fdatasync it, rename <file> -> <file>.bak, rename <file>.tmp -> <file>, fsync the
// directory. A crash at any point leaves either the new file, or the previous one as <file> or <file>.bak.

import path from 'node:path'
import { nodeStoreIo, writeFully, type StoreIo } from '../store/store-io'

/** Larger files are treated as unusable rather than read into memory. */
export const CONFIG_FILE_BYTES_MAX = 256 * 1024 * 1024

export const BAK_SUFFIX = '.bak'
export const TMP_SUFFIX = '.tmp'
/** An unusable main file is moved here, so a later persist does not rotate it over a good `.bak`. */
export const CORRUPT_SUFFIX = '.corrupt'

export interface LoadJsonConfigOptions {
  readonly io?: StoreIo
  /** Checks the decoded value's shape; a returned reason makes the load treat that copy as unusable. */
  readonly validate?: (value: unknown) => string | undefined
}

type ReadResult = { kind: 'missing' } | { kind: 'bad'; reason: string } | { kind: 'ok'; value: unknown }

/**
 * The decoded content of `filePath`, else of `filePath.bak`, else undefined (first start, or nothing usable).
 * Every fallback is reported through `log`.
 */
export function loadJsonConfig(
  filePath: string,
  log: (message: string) => void,
  options: LoadJsonConfigOptions = {},
): unknown {
  const io = options.io ?? nodeStoreIo
  const main = readCopy(io, filePath, options.validate)
  if (main.kind === 'ok') return main.value
  const bakPath = filePath + BAK_SUFFIX
  const bak = readCopy(io, bakPath, options.validate)
  if (main.kind === 'bad') {
    log(`${filePath} is unusable (${main.reason}); moved it to ${filePath + CORRUPT_SUFFIX}`)
    try {
      io.renameSync(filePath, filePath + CORRUPT_SUFFIX)
    } catch (err) {
      log(`could not move ${filePath} aside: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  if (bak.kind === 'ok') {
    log(
      `${filePath} ${main.kind === 'missing' ? 'is missing' : 'is unusable'}; loaded the previous copy ${bakPath}`,
    )
    return bak.value
  }
  if (bak.kind === 'bad') log(`${bakPath} is unusable too (${bak.reason}); starting with an empty table`)
  else if (main.kind === 'bad') log(`${filePath} has no ${BAK_SUFFIX} copy; starting with an empty table`)
  return undefined
}

function readCopy(io: StoreIo, filePath: string, validate: LoadJsonConfigOptions['validate']): ReadResult {
  if (!io.existsSync(filePath)) return { kind: 'missing' }
  let bytes: Buffer
  try {
    bytes = io.readFileSync(filePath)
  } catch (err) {
    return { kind: 'bad', reason: `read failed: ${err instanceof Error ? err.message : String(err)}` }
  }
  if (bytes.length === 0) return { kind: 'bad', reason: 'empty file' }
  if (bytes.length > CONFIG_FILE_BYTES_MAX)
    return { kind: 'bad', reason: `${bytes.length} bytes, above ${CONFIG_FILE_BYTES_MAX}` }
  const parsed = parseConfigJson(bytes.toString('utf8'))
  if (parsed.kind !== 'ok') return parsed
  const reason = validate?.(parsed.value)
  return reason === undefined ? parsed : { kind: 'bad', reason }
}

/**
 * Standard JSON, or what a real RocketMQ broker writes with fastjson: integer map keys without quotes
 * (`{"offsetTable":{"T@G":{0:12}}}`), so a config directory copied from a Java broker loads too.
 */
export function parseConfigJson(
  text: string,
): { kind: 'ok'; value: unknown } | { kind: 'bad'; reason: string } {
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown }
  } catch (err) {
    try {
      return { kind: 'ok', value: JSON.parse(quoteBareIntegerKeys(text)) as unknown }
    } catch {
      return { kind: 'bad', reason: `not JSON: ${err instanceof Error ? err.message : String(err)}` }
    }
  }
}

const BARE_KEY = /\s*(-?\d+)\s*:/y

/** Quotes integer object keys written bare, leaving string contents untouched. */
function quoteBareIntegerKeys(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    out += ch
    if (inString) {
      if (ch === '\\') out += text[++i] ?? ''
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '{' || ch === ',') {
      BARE_KEY.lastIndex = i + 1
      const m = BARE_KEY.exec(text)
      if (m) {
        out += `"${m[1]}":`
        i = BARE_KEY.lastIndex - 1
      }
    }
  }
  return out
}

/**
 * Writes `value` as pretty-printed JSON (as RocketMQ's persist does) crash-safely; the previous file becomes
 * `.bak`. Throws the I/O error if the write fails; the previous file is then still in place.
 */
export function persistJsonConfig(filePath: string, value: unknown, options: { io?: StoreIo } = {}): void {
  const io = options.io ?? nodeStoreIo
  const text = JSON.stringify(value, null, 2)
  if (typeof text !== 'string') throw new TypeError(`${filePath}: value is not JSON-serializable`)
  const bytes = Buffer.from(text + '\n', 'utf8')
  const dir = path.dirname(filePath)
  io.mkdirSync(dir)
  const tmpPath = filePath + TMP_SUFFIX
  const fd = io.openSync(tmpPath, 'w')
  try {
    writeFully(io, fd, bytes, 0, bytes.length, 0)
    io.fdatasyncSync(fd)
  } finally {
    io.closeSync(fd)
  }
  if (io.existsSync(filePath)) io.renameSync(filePath, filePath + BAK_SUFFIX)
  io.renameSync(tmpPath, filePath)
  fsyncDirectory(io, dir)
}

/** Makes the renames durable: without it a power loss can bring back the old directory entries. */
function fsyncDirectory(io: StoreIo, dir: string): void {
  const fd = io.openSync(dir, 'r')
  try {
    io.fdatasyncSync(fd)
  } finally {
    io.closeSync(fd)
  }
}
