// `npm run bench [-- --quick]`: measures the machine's ceilings, the store, the broker and remoting in one run, prints a table and
// writes tests/bench/results/latest.json ({ machine, results: [{ id, value, unit, ceiling?, ratio? }] }).

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BenchResult } from './bench-kit'
import { measureCeilings } from './machine-ceilings'
import { brokerBenchmarks } from './broker-bench'
import { consoleListBenchmarks } from './console-lists-bench'
import { consolePagesBenchmarks } from './console-pages-bench'
import { dlqResendBenchmarks } from './dlq-resend-bench'
import { messageLookupBenchmarks } from './message-lookup-bench'
import { metricsBenchmarks } from './metrics-bench'
import { remotingBenchmarks } from './remoting-bench'
import { storeBenchmarks } from './store-bench'

const quick = process.argv.includes('--quick')
const root = fs.mkdtempSync(path.join(process.env.MQDECK_BENCH_DIR ?? os.tmpdir(), 'mqdeck-bench-'))

function verdict(r: BenchResult): string {
  if (r.target === undefined) return ''
  const ok = r.targetKind === 'max' ? r.value <= r.target : r.value >= r.target
  return `${ok ? 'meets' : 'MISSES'} ${r.targetKind === 'max' ? '≤' : '≥'} ${r.target}`
}

function printTable(results: readonly BenchResult[]): void {
  const rows = results.map((r) => [
    r.id,
    r.value.toLocaleString('en-US'),
    r.unit,
    r.ceiling?.toLocaleString('en-US') ?? '',
    r.ratio?.toFixed(3) ?? '',
    verdict(r),
  ])
  const head = ['id', 'value', 'unit', 'ceiling', 'ratio', 'target']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
  console.log(line(head))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
}

try {
  const started = Date.now()
  const ceilings = await measureCeilings(root, quick)
  const results = [
    ...ceilings.results,
    ...(await storeBenchmarks(root, ceilings, quick)),
    ...(await brokerBenchmarks(root, quick)),
    ...(await remotingBenchmarks(root, quick)),
    ...(await consoleListBenchmarks(root, quick)),
    ...(await messageLookupBenchmarks(root, quick)),
    ...(await metricsBenchmarks(root, quick)),
    ...(await dlqResendBenchmarks(root, quick)),
    ...(await consolePagesBenchmarks(quick)),
  ]
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    quick,
    at: new Date(started).toISOString(),
    durationSec: Math.round((Date.now() - started) / 1000),
  }
  printTable(results)
  const outDir = path.join(import.meta.dirname, 'results')
  fs.mkdirSync(outDir, { recursive: true })
  fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify({ machine, results }, null, 2) + '\n')
  console.log(
    `\nwrote tests/bench/results/latest.json (${machine.durationSec} s, load ${machine.loadAverage.join(' ')})`,
  )
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}
