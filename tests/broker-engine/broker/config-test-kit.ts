// Shared helpers for the broker metadata tests (broker config, topics, groups, offsets): a temp config directory
// per test, a log that collects lines, and a reader for the captured RocketMQ 4.9.4 frames in fixtures/.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'
import { resolveBrokerConfig, type BrokerConfig } from '../../../broker-engine/broker/broker-config'

const dirs: string[] = []

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** A fresh directory removed after the test; the managers write their JSON files into it. */
export function tempConfigDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqdeck-broker-config-test-'))
  dirs.push(dir)
  return dir
}

/** A log that keeps its lines so tests can assert on fallbacks and skipped entries. */
export function collectingLog(): { log: (message: string) => void; lines: string[] } {
  const lines: string[] = []
  return { log: (message) => lines.push(message), lines }
}

export function testBrokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  return resolveBrokerConfig({ storePathRootDir: '/tmp/mqdeck-unused-store', ...overrides })
}

const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

/** The JSON header and the body of one captured remoting frame (int32 length, int32 type<<24|headerLength, ...). */
export function readFrame(file: string): { header: Record<string, unknown>; body: string } {
  const bytes = fs.readFileSync(path.join(FIXTURES_DIR, file))
  const length = bytes.readInt32BE(0)
  const headerLength = bytes.readInt32BE(4) & 0xffffff
  if (bytes.readUInt8(4) !== 0) throw new Error(`${file}: not a JSON-header frame`)
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>
  return { header, body: bytes.subarray(8 + headerLength, 4 + length).toString('utf8') }
}

export function readJsonFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
}
