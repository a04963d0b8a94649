// Durability under SIGKILL: a real child process appends with sync or async flush and is killed at random
// moments (sometimes while it is still recovering from the previous kill). After each kill the store is
// reopened and checked: every acknowledged message that the flush policy promises is intact (CommitLog,
// ConsumeQueue and index), every queue unit points at a valid record, and nothing follows the last good
// record. Replay a run with CRASH_SEED=<seed>.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { seededRandom } from '../../helpers/seeded-random'
import { describe, expect, it } from 'vitest'
import { MessageStore } from '../../../broker-engine/store/message-store'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import type { FlushDiskType } from '../../../broker-engine/store/store-types'
import { CRASH_TEST_CONFIG, CRASH_TOPIC, crashTestBody, seqOfBody } from './crash-shared'
import { tempStoreDir } from './store-test-kit'

const ROUNDS = 22
const CHILD = path.join(__dirname, 'crash-child.ts')

interface Ack {
  seq: number
  commitLogOffset: number
  size: number
  queueId: number
  queueOffset: number
}

/** Runs the child until SIGKILL; returns what it acknowledged and the last durable offset it reported. */
async function runUntilKilled(dir: string, mode: FlushDiskType, firstSeq: number, random: () => number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, mode, String(firstSeq)], {
    cwd: path.join(__dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const acks: Ack[] = []
  let flushed = 0
  let pending = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const earlyKill = random() < 0.25
  const killAfterMs = earlyKill ? random() * 700 : random() * 150
  let killTimer: NodeJS.Timeout | undefined
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
  child.stdout.on('data', (d: Buffer) => {
    pending += d.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? '' // a line cut by the kill is ignored
    for (const line of lines) {
      if (line === 'READY') {
        // the store is open (recovery done); appends follow
      } else if (line.startsWith('A ')) {
        // Kill mid-stream: a random moment after appends are flowing.
        if (!earlyKill && acks.length === 0) killTimer = setTimeout(kill, killAfterMs)
        const [, seq, phy, size, queueId, queueOffset] = line.split(' ').map(Number)
        acks.push({
          seq: seq!,
          commitLogOffset: phy!,
          size: size!,
          queueId: queueId!,
          queueOffset: queueOffset!,
        })
      } else if (line.startsWith('F ')) {
        flushed = Number(line.slice(2))
      }
    }
  })
  if (earlyKill) killTimer = setTimeout(kill, killAfterMs)
  const guard = setTimeout(kill, 20_000)
  const code = await exited
  clearTimeout(guard)
  clearTimeout(killTimer)
  if (code !== null && stderr) throw new Error(`crash child exited with ${code}: ${stderr}`)
  return { acks, flushed }
}

/** Opens the store (recovering the crash) and checks everything it must hold. */
async function verifyStore(
  dir: string,
  mode: FlushDiskType,
  promised: Map<number, Ack>,
  context: string,
): Promise<boolean> {
  const store = await MessageStore.open(
    { storePathRootDir: dir, ...CRASH_TEST_CONFIG, flushDiskType: mode },
    { log: () => undefined },
  )
  try {
    for (const ack of promised.values()) {
      const m = store.lookMessageByOffset(ack.commitLogOffset)
      expect(m, `${context}: acknowledged seq ${ack.seq} at ${ack.commitLogOffset} is missing`).toBeDefined()
      expect(m!.body.equals(crashTestBody(ack.seq)), `${context}: body of seq ${ack.seq}`).toBe(true)
      expect([m!.queueId, m!.queueOffset]).toEqual([ack.queueId, ack.queueOffset])
      expect(
        store.getCommitLogOffsetInQueue(CRASH_TOPIC, ack.queueId, ack.queueOffset),
        `${context}: queue unit of seq ${ack.seq}`,
      ).toBe(ack.commitLogOffset)
    }
    // The index finds a sample of them by key.
    const sample = [...promised.values()].filter((_, i) => i % 50 === 0)
    for (const ack of sample) {
      const hits = store.queryMessage(CRASH_TOPIC, `k${ack.seq}`, 4, 0, Number.MAX_SAFE_INTEGER)
      expect(
        hits.map((h) => h.commitLogOffset),
        `${context}: index for k${ack.seq}`,
      ).toEqual([ack.commitLogOffset])
    }
    // Every unit of every queue points at a valid record with the right queue offset and a consistent body.
    for (let queueId = 0; queueId < 4; queueId++) {
      const max = store.getMaxOffsetInQueue(CRASH_TOPIC, queueId)
      for (let offset = store.getMinOffsetInQueue(CRASH_TOPIC, queueId); offset < max;) {
        const got = store.getMessage({
          topic: CRASH_TOPIC,
          queueId,
          queueOffset: offset,
          maxMsgNums: 256,
          maxTotalBytes: 4 << 20,
        })
        expect(got.status, `${context}: queue ${queueId} at ${offset}`).toBe('FOUND')
        for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos)) {
          const m = decodeRecord(got.records, pos)
          expect(m.queueOffset).toBe(offset++)
          expect(
            m.body.equals(crashTestBody(seqOfBody(m.body))),
            `${context}: garbled body at queue ${queueId}`,
          ).toBe(true)
        }
      }
    }
    // Nothing follows the last good record: the rest of its segment is zero and no later segment exists.
    const end = store.commitLogMaxOffset
    const segmentBytes = CRASH_TEST_CONFIG.mappedFileSizeCommitLog!
    const segmentStart = end - (end % segmentBytes)
    const names = fs.readdirSync(path.join(dir, 'commitlog')).filter((n) => /^\d{20}$/.test(n))
    expect(
      names.every((n) => Number(n) <= segmentStart),
      `${context}: segment after the end`,
    ).toBe(true)
    const segment = path.join(dir, 'commitlog', String(segmentStart).padStart(20, '0'))
    if (fs.existsSync(segment)) {
      const tail = fs.readFileSync(segment).subarray(end - segmentStart)
      expect(
        tail.every((b) => b === 0),
        `${context}: bytes after the last record at ${end}`,
      ).toBe(true)
    }
    return store.recoveryReport?.abnormal ?? false
  } finally {
    await store.shutdown()
  }
}

async function crashRounds(mode: FlushDiskType): Promise<void> {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31))
  const random = seededRandom(seed)
  const dir = tempStoreDir()
  const promised = new Map<number, Ack>()
  let acknowledged = 0
  let crashRecoveries = 0
  for (let round = 0; round < ROUNDS; round++) {
    const context = `${mode} seed=${seed} round=${round}`
    const { acks, flushed } = await runUntilKilled(dir, mode, round * 1_000_000, random)
    acknowledged += acks.length
    for (const ack of acks) {
      // SYNC_FLUSH acknowledges only durable messages; ASYNC_FLUSH promises what the last completed flush covered.
      if (mode === 'SYNC_FLUSH' || ack.commitLogOffset + ack.size <= flushed) promised.set(ack.seq, ack)
    }
    // Every other round the next child recovers the crash itself (a crash during or after crash recovery).
    if (round % 2 === 1 || round === ROUNDS - 1) {
      if (await verifyStore(dir, mode, promised, context)) crashRecoveries++
    }
  }
  expect(crashRecoveries, `seed=${seed}: no verification ran a crash recovery`).toBeGreaterThan(ROUNDS / 4)
  expect(acknowledged, `seed=${seed}: the children acknowledged nothing`).toBeGreaterThan(ROUNDS * 10)
  expect(promised.size).toBeGreaterThan(0)
}

describe('crash durability (SIGKILL a real child process)', () => {
  it(`SYNC_FLUSH: every acknowledged message survives ${ROUNDS} kills`, async () => {
    await crashRounds('SYNC_FLUSH')
  }, 300_000)

  it(`ASYNC_FLUSH: everything acknowledged before the last completed flush survives ${ROUNDS} kills`, async () => {
    await crashRounds('ASYNC_FLUSH')
  }, 300_000)
})
