// The captured RocketMQ 4.9.4 frames (tests/fixtures/rocketmq-remoting, see its README) and their index.

import fs from 'node:fs'
import path from 'node:path'
import { decodeFrame } from '../../../broker-engine/remoting/frame-codec'
import type { RemotingCommand } from '../../../broker-engine/remoting/remoting-command'

export const FIXTURE_DIR = path.resolve('tests/fixtures/rocketmq-remoting')

export interface FixtureHeader {
  readonly code: number
  readonly language?: string
  readonly version?: number
  readonly opaque: number
  readonly flag: number
  readonly remark?: string
  readonly extFields?: Record<string, string | number | boolean>
}

export interface FixtureExchange {
  readonly file: string
  readonly scenario: string
  readonly code: number
  readonly codeName: string
  readonly direction: 'client->namesrv' | 'client->broker' | 'broker->namesrv' | 'broker->client'
  readonly serializeType: 0 | 1
  readonly requestHeaderJson: FixtureHeader
  readonly responseCode: number | null
  readonly responseSerializeType: 0 | 1 | null
  readonly responseHeaderJson: FixtureHeader | null
  readonly bodyLength: { readonly req: number; readonly res: number | null }
  readonly bodyKind: { readonly req: string; readonly res: string | null }
  readonly notes: string
}

export function fixtureIndex(): FixtureExchange[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'index.json'), 'utf8')) as FixtureExchange[]
}

export function fixtureFrame(file: string, kind: 'req' | 'res'): Buffer {
  return fs.readFileSync(path.join(FIXTURE_DIR, `${file}.${kind}.bin`))
}

/** A captured frame decoded (its 4-byte length prefix skipped). */
export function fixtureCommand(file: string, kind: 'req' | 'res'): RemotingCommand {
  const frame = fixtureFrame(file, kind)
  return decodeFrame(frame, 4, frame.length)
}

export function hasFixtureFrame(file: string, kind: 'req' | 'res'): boolean {
  return fs.existsSync(path.join(FIXTURE_DIR, `${file}.${kind}.bin`))
}
