// lib/dlq/export-dlq.ts against a real engine: CSV cells safe against formula injection (= + - @ tab CR get a
// leading ', quotes doubled), bodies as UTF-8 or base64, JSON with base64 bodies, selection and range exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as exporter from '@/lib/dlq/export-dlq'
import { eventually } from '../cluster/gateway-conformance'
import { startDlqFixture, type DlqFixture } from './dlq-fixture'

let f: DlqFixture

beforeAll(async () => {
  f = await startDlqFixture()
}, 60_000)

afterAll(async () => {
  await f?.close()
})

/** A minimal RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  return rows
}

describe('exportDlqMessages', () => {
  it('writes CSV that a spreadsheet cannot run as formulas, and JSON with base64 bodies', async () => {
    const topic = `export_topic_${process.pid}`
    const group = `export_group_${process.pid}`
    await f.harness.gateway.createOrUpdateTopic({ topic, readQueueNums: 1, writeQueueNums: 1, perm: 6 })
    await f.harness.gateway.createOrUpdateConsumerGroup({ group })
    const bodies = [
      '=HYPERLINK("http://evil")',
      '+1+2',
      '-3',
      '@SUM(A1)',
      '\tx',
      '\rcr',
      'plain, "quoted"\nline',
    ]
    const sent = []
    for (const [i, body] of bodies.entries())
      sent.push(
        await f.harness.gateway.sendMessage({
          topic,
          body,
          tag: i === 0 ? '=cmd|calc' : 'T',
          keys: [`k${i}`],
        }),
      )
    const binary = await f.harness.gateway.sendMessage({
      topic,
      body: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'),
      bodyEncoding: 'base64',
    })
    for (const s of [...sent, binary]) await f.harness.deadLetter!({ group, topic, msgId: s.msgId })
    await eventually(
      () => f.gateway.browseDlq({ group, pageSize: 50 }),
      (p) => p.data.messages.length === bodies.length + 1,
    )

    const csv = await exporter.exportDlqMessages(f.cluster, f.gateway, {
      group,
      format: 'csv',
      selection: {},
    })
    expect(csv).toMatchObject({ contentType: 'text/csv; charset=utf-8', count: 8, truncated: false })
    expect(csv.filename).toMatch(/^dlq-export_group_\d+-.*\.csv$/)
    const rows = parseCsv(csv.body)
    const header = rows[0]!
    const col = (name: string) => header.indexOf(name)
    const data = rows.slice(1)
    expect(data).toHaveLength(8)
    const texts = data.filter((r) => r[col('bodyEncoding')] === 'utf8').map((r) => r[col('body')])
    expect(texts.sort()).toEqual(
      [
        '\'=HYPERLINK("http://evil")',
        "'+1+2",
        "'-3",
        "'@SUM(A1)",
        "'\tx",
        "'\rcr",
        'plain, "quoted"\nline',
      ].sort(),
    )
    expect(data.map((r) => r[col('tags')])).toContain("'=cmd|calc")
    // Every cell that could start a formula is neutralised.
    for (const r of data) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    const bin = data.find((r) => r[col('bodyEncoding')] === 'base64')!
    expect(Buffer.from(bin[col('body')]!, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x41]))
    expect(data.every((r) => r[col('originTopic')] === topic)).toBe(true)
    // The raw text doubles quotes inside a quoted cell.
    expect(csv.body).toContain('"plain, ""quoted""\nline"')

    const ids = data.slice(0, 2).map((r) => r[col('msgId')]!)
    const json = await exporter.exportDlqMessages(f.cluster, f.gateway, {
      group,
      format: 'json',
      selection: { msgIds: [...ids, sent[0]!.msgId] },
    })
    const doc = JSON.parse(json.body) as {
      messages: { msgId: string; bodyBase64: string; originTopic: string }[]
    }
    // The original (not a DLQ copy) is left out.
    expect(doc.messages.map((m) => m.msgId).sort()).toEqual([...ids].sort())
    expect(doc.messages.every((m) => m.originTopic === topic && typeof m.bodyBase64 === 'string')).toBe(true)
    expect(json.contentType).toBe('application/json; charset=utf-8')
  })

  it('validates the query', async () => {
    await expect(
      exporter.exportDlqMessages(f.cluster, f.gateway, { group: 'g', format: 'xml' as 'csv', selection: {} }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})
