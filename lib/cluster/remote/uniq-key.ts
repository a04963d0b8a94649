// UNIQ_KEYs for the messages the console sends (PROTOCOL.md 4.2), from the engine's MessageClientIDSetter-style
// generator, seeded with this host's first IPv4 address and this process.
import 'server-only'
import { randomInt } from 'node:crypto'
import os from 'node:os'
import { systemClock, UniqKeyGenerator } from '@/broker-engine/index'

function firstIpv4(): Uint8Array {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return Uint8Array.from(a.address.split('.').map(Number))
    }
  }
  return Uint8Array.of(127, 0, 0, 1)
}

export function newUniqKeyGenerator(nowMs: () => number = Date.now): UniqKeyGenerator {
  return new UniqKeyGenerator({ ...systemClock, nowMs }, firstIpv4(), process.pid, randomInt(0, 0x7fffffff))
}
