import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadJsonConfig, parseConfigJson, persistJsonConfig } from '../../../broker-engine/broker/config-file'
import { nodeStoreIo, type StoreIo } from '../../../broker-engine/store/store-io'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { collectingLog, tempConfigDir } from './config-test-kit'

describe('persistJsonConfig', () => {
  it('writes pretty JSON, keeps the previous copy as .bak and leaves no temp file', () => {
    const file = path.join(tempConfigDir(), 'config', 'topics.json')
    persistJsonConfig(file, { v: 1 })
    expect(fs.existsSync(file + '.bak')).toBe(false)
    persistJsonConfig(file, { v: 2 })
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ v: 2 })
    expect(JSON.parse(fs.readFileSync(file + '.bak', 'utf8'))).toEqual({ v: 1 })
    expect(fs.readFileSync(file, 'utf8')).toBe('{\n  "v": 2\n}\n')
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['topics.json', 'topics.json.bak'])
  })

  it('syncs the file and the directory', () => {
    const io = new FaultyIo()
    persistJsonConfig(path.join(tempConfigDir(), 'a.json'), { v: 1 }, { io })
    expect(io.counts.fdatasync).toBe(2)
  })

  it('a failed write throws and leaves the previous file in place', () => {
    const file = path.join(tempConfigDir(), 'offsets.json')
    persistJsonConfig(file, { v: 1 })
    const io = new FaultyIo()
    io.fail({ kind: 'write', code: 'ENOSPC', pathIncludes: 'offsets.json.tmp', allowBytes: 3 })
    expect(() => persistJsonConfig(file, { v: 2 }, { io })).toThrow(/ENOSPC/)
    expect(loadJsonConfig(file, () => undefined)).toEqual({ v: 1 })
  })

  it('a crash between the two renames leaves the previous copy as .bak, which the load uses', () => {
    const file = path.join(tempConfigDir(), 'topics.json')
    persistJsonConfig(file, { v: 1 })
    let renames = 0
    const crashing: StoreIo = {
      ...nodeStoreIo,
      renameSync(from, to) {
        if (++renames === 2) throw new Error('simulated crash before the temp file was renamed')
        nodeStoreIo.renameSync(from, to)
      },
    }
    expect(() => persistJsonConfig(file, { v: 2 }, { io: crashing })).toThrow(/simulated crash/)
    expect(fs.existsSync(file)).toBe(false)
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(file, log)).toEqual({ v: 1 })
    expect(lines.join('\n')).toMatch(/topics\.json is missing; loaded the previous copy .*topics\.json\.bak/)
    // The next persist starts over cleanly and rotates nothing it should not.
    persistJsonConfig(file, { v: 3 })
    expect(loadJsonConfig(file, () => undefined)).toEqual({ v: 3 })
    expect(JSON.parse(fs.readFileSync(file + '.bak', 'utf8'))).toEqual({ v: 1 })
  })

  it('refuses a value that is not JSON', () => {
    expect(() => persistJsonConfig(path.join(tempConfigDir(), 'x.json'), undefined)).toThrow(TypeError)
  })
})

describe('loadJsonConfig', () => {
  it('returns undefined without a word when neither copy exists (first start)', () => {
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(path.join(tempConfigDir(), 'none.json'), log)).toBeUndefined()
    expect(lines).toEqual([])
  })

  it('falls back to .bak when the main file is torn, says so, and moves the torn file aside', () => {
    const file = path.join(tempConfigDir(), 'topics.json')
    persistJsonConfig(file, { v: 1 })
    persistJsonConfig(file, { v: 2 })
    fs.writeFileSync(file, '{"v": 2, "topicConfigTa')
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(file, log)).toEqual({ v: 1 })
    expect(lines.join('\n')).toMatch(/topics\.json is unusable \(not JSON/)
    expect(lines.join('\n')).toMatch(/loaded the previous copy/)
    expect(fs.readFileSync(file + '.corrupt', 'utf8')).toBe('{"v": 2, "topicConfigTa')
    // The torn file is not rotated over the good .bak by the next persist.
    persistJsonConfig(file, { v: 3 })
    expect(JSON.parse(fs.readFileSync(file + '.bak', 'utf8'))).toEqual({ v: 1 })
  })

  it('treats an empty main file as unusable', () => {
    const file = path.join(tempConfigDir(), 'a.json')
    persistJsonConfig(file, { v: 1 })
    persistJsonConfig(file, { v: 2 })
    fs.writeFileSync(file, '')
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(file, log)).toEqual({ v: 1 })
    expect(lines[0]).toMatch(/empty file/)
  })

  it('falls back when the shape check refuses the main copy', () => {
    const file = path.join(tempConfigDir(), 'a.json')
    persistJsonConfig(file, { table: {} })
    persistJsonConfig(file, { wrong: true })
    const validate = (v: unknown) =>
      typeof v === 'object' && v !== null && 'table' in v ? undefined : 'no table object'
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(file, log, { validate })).toEqual({ table: {} })
    expect(lines[0]).toMatch(/no table object/)
  })

  it('starts empty and says so when both copies are unusable', () => {
    const file = path.join(tempConfigDir(), 'a.json')
    fs.writeFileSync(file, 'garbage')
    fs.writeFileSync(file + '.bak', '{"half":')
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(file, log)).toBeUndefined()
    expect(lines.join('\n')).toMatch(/a\.json\.bak is unusable too/)
  })

  it('starts empty and says so when the main copy is unusable and there is no .bak', () => {
    const file = path.join(tempConfigDir(), 'a.json')
    fs.writeFileSync(file, '[1,')
    const { log, lines } = collectingLog()
    expect(loadJsonConfig(file, log)).toBeUndefined()
    expect(lines.join('\n')).toMatch(/has no \.bak copy; starting with an empty table/)
  })

  it('ignores a leftover temp file from an interrupted write', () => {
    const file = path.join(tempConfigDir(), 'a.json')
    persistJsonConfig(file, { v: 1 })
    fs.writeFileSync(file + '.tmp', '{"v": 99}')
    expect(loadJsonConfig(file, () => undefined)).toEqual({ v: 1 })
  })
})

describe('parseConfigJson reads what a Java broker writes', () => {
  it('accepts fastjson bare integer keys', () => {
    const text = '{"offsetTable":{"TopicTest@G":{0:12,1 : 7, 2:0}},"dataVersion":{"counter":1,"timestamp":5}}'
    expect(parseConfigJson(text)).toEqual({
      kind: 'ok',
      value: {
        offsetTable: { 'TopicTest@G': { '0': 12, '1': 7, '2': 0 } },
        dataVersion: { counter: 1, timestamp: 5 },
      },
    })
  })

  it('leaves strings that look like keys alone', () => {
    const result = parseConfigJson('{"a":"x,{0:1}", 3:"\\"{4:"}')
    expect(result).toEqual({ kind: 'ok', value: { a: 'x,{0:1}', '3': '"{4:' } })
  })

  it('still refuses text that is not JSON either way', () => {
    expect(parseConfigJson('{0:}').kind).toBe('bad')
    expect(parseConfigJson('not json').kind).toBe('bad')
  })
})
