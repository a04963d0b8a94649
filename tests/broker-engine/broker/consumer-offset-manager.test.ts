import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ConsumerOffsetManager,
  OFFSET_TABLE_KEYS_MAX,
} from '../../../broker-engine/broker/consumer-offset-manager'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { collectingLog, readJsonFile, tempConfigDir } from './config-test-kit'

function openOffsets(
  dir: string,
  extra: { clock?: ManualClock; io?: FaultyIo; log?: (m: string) => void } = {},
): ConsumerOffsetManager {
  const manager = new ConsumerOffsetManager({
    configDir: dir,
    clock: extra.clock ?? new ManualClock(),
    log: extra.log ?? (() => undefined),
    io: extra.io,
  })
  manager.load()
  return manager
}

function expectEngineError(fn: () => unknown, code: string, field: string): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError)
    expect(err).toMatchObject({ code, details: { field } })
    return
  }
  throw new Error(`expected ${code} on ${field}`)
}

describe('commit and query', () => {
  it('answers -1 before any commit and the committed offset after', () => {
    const offsets = openOffsets(tempConfigDir())
    expect(offsets.queryOffset('G', 'T', 0)).toBe(-1)
    expect(offsets.commitOffset('G', 'T', 0, 12, '10.0.0.5:6000')).toBe(true)
    expect(offsets.commitOffset('G', 'T', 3, 7)).toBe(true)
    expect(offsets.queryOffset('G', 'T', 0)).toBe(12)
    expect(offsets.queryOffset('G', 'T', 1)).toBe(-1)
    expect(offsets.queryOffset('G2', 'T', 0)).toBe(-1)
    expect(offsets.queryOffsets('G', 'T')).toEqual(
      new Map([
        [0, 12],
        [3, 7],
      ]),
    )
    expect(offsets.queryOffsets('G', 'Nothing')).toEqual(new Map())
    // A lower commit is stored as is: consumers rewind after a rebalance.
    offsets.commitOffset('G', 'T', 0, 5)
    expect(offsets.queryOffset('G', 'T', 0)).toBe(5)
  })

  it('knows which topics a group consumes and which groups consume a topic, without prefix confusion', () => {
    const offsets = openOffsets(tempConfigDir())
    offsets.commitOffset('G', 'T', 0, 1)
    offsets.commitOffset('G', 'T2', 0, 1)
    offsets.commitOffset('G2', 'T', 0, 1)
    offsets.commitOffset('XG', '%RETRY%G', 0, 1)
    expect(offsets.topicsOfGroup('G')).toEqual(['T', 'T2'])
    expect(offsets.topicsOfGroup('G2')).toEqual(['T'])
    expect(offsets.groupsOfTopic('T')).toEqual(['G', 'G2'])
    expect(offsets.groupsOfTopic('%RETRY%G')).toEqual(['XG'])
    expect(offsets.groupsOfTopic('None')).toEqual([])
  })

  it('refuses bad arguments', () => {
    const offsets = openOffsets(tempConfigDir())
    expectEngineError(() => offsets.commitOffset('G', 'T', 0, -1), 'ARGUMENT_INVALID', 'offset')
    expectEngineError(() => offsets.commitOffset('G', 'T', 0, 1.5), 'ARGUMENT_INVALID', 'offset')
    expectEngineError(() => offsets.commitOffset('G', 'T', 0, Number.NaN), 'ARGUMENT_INVALID', 'offset')
    expectEngineError(() => offsets.commitOffset('G', 'T', 0, 2 ** 53), 'ARGUMENT_INVALID', 'offset')
    expectEngineError(() => offsets.commitOffset('G', 'T', -1, 0), 'QUEUE_ID_INVALID', 'queueId')
    expectEngineError(() => offsets.commitOffset('G', 'T', 1024, 0), 'QUEUE_ID_INVALID', 'queueId')
    expectEngineError(() => offsets.commitOffset('G', 'T', 0.5, 0), 'QUEUE_ID_INVALID', 'queueId')
    expectEngineError(() => offsets.commitOffset('bad group', 'T', 0, 0), 'ARGUMENT_INVALID', 'group')
    expectEngineError(() => offsets.commitOffset('G@x', 'T', 0, 0), 'ARGUMENT_INVALID', 'group')
    expectEngineError(() => offsets.commitOffset('G', 'T@x', 0, 0), 'TOPIC_INVALID', 'topic')
    expectEngineError(() => offsets.queryOffset('G', '', 0), 'TOPIC_INVALID', 'topic')
    expectEngineError(() => offsets.topicsOfGroup(''), 'ARGUMENT_INVALID', 'group')
    expect(offsets.isDirty).toBe(false)
  })

  it('refuses use before load', () => {
    const m = new ConsumerOffsetManager({ configDir: tempConfigDir(), clock: new ManualClock() })
    expect(() => m.queryOffset('G', 'T', 0)).toThrow(/before load/)
  })
})

describe('persist', () => {
  it('writes consumerOffset.json only when something changed, bumping the version', () => {
    const dir = tempConfigDir()
    const clock = new ManualClock(1_800_000_000_000)
    const offsets = openOffsets(dir, { clock })
    expect(offsets.isDirty).toBe(false)
    expect(offsets.persist()).toBe(false)
    expect(fs.existsSync(path.join(dir, 'consumerOffset.json'))).toBe(false)

    offsets.commitOffset('G', 'T', 1, 7)
    offsets.commitOffset('G', 'T', 0, 12)
    offsets.commitOffset('G', 'RETRY_TOPIC', 0, 3)
    expect(offsets.isDirty).toBe(true)
    clock.advance(5000)
    expect(offsets.persist()).toBe(true)
    expect(offsets.isDirty).toBe(false)
    expect(offsets.dataVersion).toEqual({ counter: 1, stateVersion: 0, timestamp: 1_800_000_005_000 })
    expect(fs.readFileSync(path.join(dir, 'consumerOffset.json'), 'utf8')).toBe(
      JSON.stringify(
        {
          dataVersion: { counter: 1, stateVersion: 0, timestamp: 1_800_000_005_000 },
          offsetTable: { 'RETRY_TOPIC@G': { '0': 3 }, 'T@G': { '0': 12, '1': 7 } },
        },
        null,
        2,
      ) + '\n',
    )
    // Committing the same offset again is not a change.
    offsets.commitOffset('G', 'T', 0, 12)
    expect(offsets.isDirty).toBe(false)
    expect(offsets.persist()).toBe(false)
  })

  it('offsets survive a restart', () => {
    const dir = tempConfigDir()
    const offsets = openOffsets(dir)
    offsets.commitOffset('G', 'T', 0, 12)
    offsets.commitOffset('G2', '%RETRY%G2', 0, 4)
    offsets.persist()
    const reloaded = openOffsets(dir)
    expect(reloaded.queryOffset('G', 'T', 0)).toBe(12)
    expect(reloaded.queryOffset('G2', '%RETRY%G2', 0)).toBe(4)
    expect(reloaded.dataVersion).toEqual(offsets.dataVersion)
    expect(reloaded.isDirty).toBe(false)
  })

  it('a failed write throws, stays dirty and keeps the version; the next persist writes', () => {
    const dir = tempConfigDir()
    const io = new FaultyIo()
    const offsets = openOffsets(dir, { io })
    offsets.commitOffset('G', 'T', 0, 1)
    io.fail({ kind: 'write', code: 'ENOSPC', pathIncludes: 'consumerOffset.json.tmp' })
    expect(() => offsets.persist()).toThrow(/ENOSPC/)
    expect(offsets.isDirty).toBe(true)
    expect(offsets.dataVersion.counter).toBe(0)
    io.heal()
    expect(offsets.persist()).toBe(true)
    expect(openOffsets(dir).queryOffset('G', 'T', 0)).toBe(1)
  })
})

describe('crash safety and foreign files', () => {
  it('a torn consumerOffset.json falls back to .bak (the previous persist)', () => {
    const dir = tempConfigDir()
    const offsets = openOffsets(dir)
    offsets.commitOffset('G', 'T', 0, 10)
    offsets.persist()
    offsets.commitOffset('G', 'T', 0, 20)
    offsets.persist()
    const file = path.join(dir, 'consumerOffset.json')
    fs.writeFileSync(file, '{"offsetTable":{"T@G":{"0":2')
    const { log, lines } = collectingLog()
    expect(openOffsets(dir, { log }).queryOffset('G', 'T', 0)).toBe(10)
    expect(lines.join('\n')).toMatch(/loaded the previous copy/)
  })

  it('with both copies missing it starts empty', () => {
    const { log, lines } = collectingLog()
    const offsets = openOffsets(tempConfigDir(), { log })
    expect(offsets.topicsOfGroup('G')).toEqual([])
    expect(lines).toEqual([])
  })

  it('loads the file a Java broker writes (bare integer keys, groupTopicMap)', () => {
    const dir = tempConfigDir()
    fs.writeFileSync(
      path.join(dir, 'consumerOffset.json'),
      '{\n\t"dataVersion":{\n\t\t"counter":37,\n\t\t"stateVersion":0,\n\t\t"timestamp":1795830586054\n\t},\n' +
        '\t"groupTopicMap":{"please_rename_unique_group_name_4":["TopicTest"]},\n' +
        '\t"offsetTable":{\n\t\t"TopicTest@please_rename_unique_group_name_4":{0:250,1:251,2:249,3:250},\n' +
        '\t\t"%RETRY%please_rename_unique_group_name_4@please_rename_unique_group_name_4":{0:0}\n\t}\n}',
    )
    const offsets = openOffsets(dir)
    expect(offsets.queryOffsets('please_rename_unique_group_name_4', 'TopicTest')).toEqual(
      new Map([
        [0, 250],
        [1, 251],
        [2, 249],
        [3, 250],
      ]),
    )
    expect(offsets.dataVersion.counter).toBe(37)
  })

  it('skips invalid entries and says which', () => {
    const dir = tempConfigDir()
    fs.writeFileSync(
      path.join(dir, 'consumerOffset.json'),
      JSON.stringify({
        offsetTable: {
          'T@G': { '0': 5 },
          'no-separator': { '0': 1 },
          'T@G@H': { '0': 1 },
          'T@bad group': { '0': 1 },
          'T@G2': { '0': -3 },
          'T@G3': { '2000': 1 },
          'T@G4': [1],
        },
      }),
    )
    const { log, lines } = collectingLog()
    const offsets = openOffsets(dir, { log })
    expect(offsets.queryOffset('G', 'T', 0)).toBe(5)
    expect(offsets.groupsOfTopic('T')).toEqual(['G'])
    const text = lines.join('\n')
    expect(text).toMatch(/"no-separator": the key is not <topic>@<group>/)
    expect(text).toMatch(/"T@G@H": the key is not/)
    expect(text).toMatch(/"T@bad group": .*illegal characters/)
    expect(text).toMatch(/"T@G2": offset -3 of queue 0 is not a non-negative integer/)
    expect(text).toMatch(/"T@G3": queue id 2000 out of range/)
    expect(text).toMatch(/"T@G4": not an object/)
  })
})

describe('offset reset (server side, as RocketMQ 5.x)', () => {
  it('sets the offsets, holds them for the next pull, and ignores commits until then', () => {
    const dir = tempConfigDir()
    const offsets = openOffsets(dir)
    offsets.commitOffset('G', 'T', 0, 100)
    offsets.commitOffset('G', 'T', 1, 90)
    offsets.persist()
    offsets.resetOffsets(
      'G',
      'T',
      new Map([
        [0, 10],
        [1, 20],
      ]),
    )
    expect(offsets.isDirty).toBe(true)
    expect(offsets.queryOffset('G', 'T', 0)).toBe(10)
    expect(offsets.hasOffsetReset('G', 'T', 0)).toBe(true)
    // A consumer that has not pulled yet still commits its old position: ignored.
    expect(offsets.commitOffset('G', 'T', 0, 101)).toBe(false)
    expect(offsets.queryOffset('G', 'T', 0)).toBe(10)
    expect(offsets.takeResetOffset('G', 'T', 0)).toBe(10)
    expect(offsets.takeResetOffset('G', 'T', 0)).toBeUndefined()
    expect(offsets.hasOffsetReset('G', 'T', 0)).toBe(false)
    expect(offsets.commitOffset('G', 'T', 0, 11)).toBe(true)
    expect(offsets.queryOffset('G', 'T', 0)).toBe(11)
    expect(offsets.hasOffsetReset('G', 'T', 1)).toBe(true)
    offsets.persist()
    // Pending resets live in memory; the reset offsets themselves are persisted.
    const reloaded = openOffsets(dir)
    expect(reloaded.queryOffset('G', 'T', 1)).toBe(20)
    expect(reloaded.hasOffsetReset('G', 'T', 1)).toBe(false)
  })

  it('checks every entry before applying any', () => {
    const offsets = openOffsets(tempConfigDir())
    offsets.commitOffset('G', 'T', 0, 100)
    expectEngineError(
      () =>
        offsets.resetOffsets(
          'G',
          'T',
          new Map([
            [0, 5],
            [1, -1],
          ]),
        ),
      'ARGUMENT_INVALID',
      'offset',
    )
    expectEngineError(
      () => offsets.resetOffsets('G', 'T', new Map([[4096, 0]])),
      'QUEUE_ID_INVALID',
      'queueId',
    )
    expect(offsets.queryOffset('G', 'T', 0)).toBe(100)
    expect(offsets.hasOffsetReset('G', 'T', 0)).toBe(false)
  })

  it('an empty reset changes nothing', () => {
    const offsets = openOffsets(tempConfigDir())
    offsets.resetOffsets('G', 'T', new Map())
    expect(offsets.isDirty).toBe(false)
    expect(offsets.topicsOfGroup('G')).toEqual([])
  })
})

describe('pull offsets (consume stats)', () => {
  it('falls back from the last pull to the committed offset to -1, and a reset clears the pull offset', () => {
    const offsets = openOffsets(tempConfigDir())
    expect(offsets.queryPullOffset('G', 'T', 0)).toBe(-1)
    offsets.commitOffset('G', 'T', 0, 5)
    expect(offsets.queryPullOffset('G', 'T', 0)).toBe(5)
    offsets.recordPullOffset('G', 'T', 0, 9)
    expect(offsets.queryPullOffset('G', 'T', 0)).toBe(9)
    expect(offsets.isDirty).toBe(true) // from the commit only
    offsets.persist()
    offsets.recordPullOffset('G', 'T', 0, 10)
    expect(offsets.isDirty).toBe(false)
    offsets.resetOffsets('G', 'T', new Map([[0, 2]]))
    expect(offsets.queryPullOffset('G', 'T', 0)).toBe(2)
    offsets.recordPullOffset('G', 'T', 0, 3)
    offsets.clearPullOffsets('G', 'T')
    expect(offsets.queryPullOffset('G', 'T', 0)).toBe(2)
    expectEngineError(() => offsets.recordPullOffset('G', 'T', 0, -1), 'ARGUMENT_INVALID', 'offset')
  })
})

describe('removal', () => {
  it('removeGroup drops the group’s offsets, resets and pull offsets only', () => {
    const dir = tempConfigDir()
    const offsets = openOffsets(dir)
    offsets.commitOffset('G', 'T', 0, 1)
    offsets.commitOffset('G', 'T2', 0, 1)
    offsets.commitOffset('GX', 'T', 0, 1)
    offsets.resetOffsets('G', 'T', new Map([[1, 0]]))
    offsets.recordPullOffset('G', 'T2', 0, 4)
    offsets.persist()
    expect(offsets.removeGroup('G')).toBe(true)
    expect(offsets.isDirty).toBe(true)
    expect(offsets.removeGroup('G')).toBe(false)
    expect(offsets.topicsOfGroup('G')).toEqual([])
    expect(offsets.hasOffsetReset('G', 'T', 1)).toBe(false)
    expect(offsets.queryPullOffset('G', 'T2', 0)).toBe(-1)
    expect(offsets.queryOffset('GX', 'T', 0)).toBe(1)
    offsets.persist()
    expect(
      (readJsonFile(path.join(dir, 'consumerOffset.json')) as { offsetTable: object }).offsetTable,
    ).toEqual({
      'T@GX': { '0': 1 },
    })
  })

  it('removeTopic drops every group’s offsets on that topic only', () => {
    const offsets = openOffsets(tempConfigDir())
    offsets.commitOffset('G', 'T', 0, 1)
    offsets.commitOffset('G2', 'T', 0, 1)
    offsets.commitOffset('G', 'T2', 0, 1)
    expect(offsets.removeTopic('T')).toBe(true)
    expect(offsets.removeTopic('T')).toBe(false)
    expect(offsets.groupsOfTopic('T')).toEqual([])
    expect(offsets.topicsOfGroup('G')).toEqual(['T2'])
  })
})

describe('bounds', () => {
  it('refuses a new topic@group beyond OFFSET_TABLE_KEYS_MAX; pull offsets beyond it are not recorded', () => {
    const offsets = openOffsets(tempConfigDir())
    for (let i = 0; i < OFFSET_TABLE_KEYS_MAX; i++) {
      offsets.commitOffset(`G${i}`, 'T', 0, i)
      offsets.recordPullOffset(`G${i}`, 'T', 0, i)
    }
    expectEngineError(() => offsets.commitOffset('GNew', 'T', 0, 1), 'ARGUMENT_INVALID', 'group')
    expectEngineError(() => offsets.resetOffsets('GNew', 'T', new Map([[0, 1]])), 'ARGUMENT_INVALID', 'group')
    expect(offsets.commitOffset('G7', 'T', 1, 3)).toBe(true)
    offsets.recordPullOffset('GNew', 'T', 0, 9)
    expect(offsets.queryPullOffset('GNew', 'T', 0)).toBe(-1)
  })
})
