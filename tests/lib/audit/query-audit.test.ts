// lib/audit/query-audit.ts on a real SQLite file: URL filters, database paging and sorting, and the exports
// (CSV safe against formula injection, JSON with request/result as objects).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  auditRowsToCsv,
  auditRowsToJson,
  exportAuditRows,
  listAuditPage,
  parseAuditFilter,
} from '@/lib/audit/query-audit'
import { csvCell, toCsv } from '@/lib/console/csv'
import { createPrismaClient, type Db } from '@/lib/db'
import { migrateFreshDatabase } from '../../helpers/migrate'

const T0_MS = Date.UTC(2026, 10, 29, 8, 0, 0)
let dir: string
let client: Db

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-audit-query-'))
  client = createPrismaClient(migrateFreshDatabase(dir))
  const base = { targetType: 'group', requestJson: '{"n":1}' }
  await client.auditLog.createMany({
    data: [
      {
        ...base,
        at: new Date(T0_MS),
        actor: 'ada',
        action: 'dlq.resend',
        targetId: 'GID_A',
        cluster: 'embedded',
        result: 'SUCCEEDED',
        durationMs: 12,
        resultJson: '{"sent":2}',
      },
      {
        ...base,
        at: new Date(T0_MS + 60_000),
        actor: 'vera',
        action: 'dlq.resend',
        targetId: 'GID_A',
        cluster: 'embedded',
        result: 'FAILED',
        errorCode: 'FORBIDDEN',
        errorMessage: '=HYPERLINK("http://x")',
      },
      {
        ...base,
        at: new Date(T0_MS + 120_000),
        actor: 'ada',
        action: 'offset.reset',
        targetId: 'GID_B',
        cluster: 'prod',
        result: 'SUCCEEDED',
        replayed: true,
      },
      {
        ...base,
        at: new Date(T0_MS + 180_000),
        actor: 'oscar',
        action: 'topic.delete',
        targetType: 'topic',
        targetId: 'Orders',
        cluster: 'prod',
        result: 'UNKNOWN',
      },
    ],
  })
})

afterAll(async () => {
  await client?.$disconnect()
  rmSync(dir, { recursive: true, force: true })
})

const ids = async (params: Record<string, string>) =>
  (await listAuditPage(new URLSearchParams(params), client)).page.rows.map((r) => r.actor + ':' + r.action)

describe('listAuditPage', () => {
  it('lists newest first and filters by user, action prefix, target, status, cluster and time', async () => {
    expect(await ids({})).toEqual([
      'oscar:topic.delete',
      'ada:offset.reset',
      'vera:dlq.resend',
      'ada:dlq.resend',
    ])
    expect(await ids({ user: 'ada' })).toEqual(['ada:offset.reset', 'ada:dlq.resend'])
    expect(await ids({ action: 'dlq' })).toEqual(['vera:dlq.resend', 'ada:dlq.resend'])
    expect(await ids({ target: 'GID' })).toHaveLength(3)
    expect(await ids({ status: 'FAILED' })).toEqual(['vera:dlq.resend'])
    expect(await ids({ cluster: 'prod', status: '' })).toEqual(['oscar:topic.delete', 'ada:offset.reset'])
    // Times as the page writes them: ISO with the chosen zone's offset (here UTC+01:00), or epoch ms.
    expect(await ids({ from: '2026-11-29T09:01:00.000+01:00', to: String(T0_MS + 120_000) })).toEqual([
      'ada:offset.reset',
      'vera:dlq.resend',
    ])
  })

  it('pages and sorts in the database', async () => {
    const page = await listAuditPage(new URLSearchParams({ pageSize: '3', page: '2' }), client)
    expect(page.page).toMatchObject({ total: 4, page: 2, pageSize: 3, pageCount: 2, dir: 'desc' })
    expect(page.page.rows.map((r) => r.actor)).toEqual(['ada'])
    const byActor = await listAuditPage(new URLSearchParams({ sort: 'actor', dir: 'asc' }), client)
    expect(byActor.page.rows.map((r) => r.actor)).toEqual(['ada', 'ada', 'oscar', 'vera'])
    expect(byActor.page.sort).toBe('actor')
  })

  it('refuses a malformed filter with VALIDATION_FAILED', () => {
    expect(() => parseAuditFilter(new URLSearchParams({ status: 'DONE' }))).toThrow()
    expect(() => parseAuditFilter(new URLSearchParams({ from: '2026-11-29T09:00' }))).toThrow(/offset/)
  })
})

describe('audit exports', () => {
  it('exports the filtered rows as CSV with formula cells neutralized and quotes doubled', async () => {
    const rows = await exportAuditRows(parseAuditFilter(new URLSearchParams({ action: 'dlq' })), client)
    const csv = auditRowsToCsv(rows)
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe(
      'id,at,actor,action,target_type,target_id,cluster,status,replayed,duration_ms,error_code,error_message,idempotency_key,request_json,result_json',
    )
    expect(lines).toHaveLength(4) // header, two rows, and the empty string after the last CRLF
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://x"")",`)
    expect(lines[2]).toContain(
      ',2026-11-29T08:00:00.000Z,ada,dlq.resend,group,GID_A,embedded,SUCCEEDED,false,12,',
    )
    expect(lines[2]).toContain(',"{""n"":1}","{""sent"":2}"')
  })

  it('exports JSON with request and result as objects', async () => {
    const rows = await exportAuditRows(
      parseAuditFilter(new URLSearchParams({ user: 'ada', action: 'dlq' })),
      client,
    )
    expect(JSON.parse(auditRowsToJson(rows))).toEqual([
      expect.objectContaining({
        actor: 'ada',
        at: '2026-11-29T08:00:00.000Z',
        request: { n: 1 },
        result: { sent: 2 },
        status: 'SUCCEEDED',
      }),
    ])
  })
})

describe('csvCell', () => {
  it('prefixes cells starting with = + - @ tab or CR, quotes commas, quotes and line breaks', () => {
    expect(csvCell('=1+2')).toBe("'=1+2")
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tx')).toBe("'\tx")
    expect(csvCell('\rx')).toBe('"\'\rx"')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell(null)).toBe('')
    expect(toCsv(['a', 'b'], [[1, '=x']])).toBe("a,b\r\n1,'=x\r\n")
  })
})
