// The delay-level progress the schedule service persists in config/delayOffset.json. The service keeps its live
// table private, so admin calls read the file: it lags the live table by at most flushDelayOffsetInterval (10 s).
// Read only, never repaired or moved aside (that is the broker's job at start).

import fs from 'node:fs'
import path from 'node:path'
import { configDirOf } from '../../../broker/broker-config'
import type { BrokerController } from '../../../broker/broker-controller'

export const DELAY_OFFSET_FILE = 'delayOffset.json'
/** A delayOffset.json larger than this is not something the schedule service wrote. */
const DELAY_OFFSET_FILE_BYTES_MAX = 1024 * 1024

export interface DelayOffsets {
  /** Delay level (1-based) → queue offset in SCHEDULE_TOPIC_XXXX queue level-1 delivered up to. */
  readonly offsetTable: ReadonlyMap<number, number>
  readonly dataVersion: unknown
}

/** undefined when the file is missing or unreadable (the broker has not persisted any progress yet). */
export function readDelayOffsets(broker: BrokerController): DelayOffsets | undefined {
  const file = path.join(configDirOf(broker.config), DELAY_OFFSET_FILE)
  let parsed: unknown
  try {
    if (fs.statSync(file).size > DELAY_OFFSET_FILE_BYTES_MAX) return undefined
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined
  const { offsetTable, dataVersion } = parsed as { offsetTable?: unknown; dataVersion?: unknown }
  if (typeof offsetTable !== 'object' || offsetTable === null) return undefined
  const table = new Map<number, number>()
  for (const [level, offset] of Object.entries(offsetTable)) {
    const n = Number(level)
    if (Number.isInteger(n) && n > 0 && Number.isSafeInteger(offset) && (offset as number) >= 0)
      table.set(n, offset as number)
  }
  return { offsetTable: new Map([...table].sort((a, b) => a[0] - b[0])), dataVersion }
}
