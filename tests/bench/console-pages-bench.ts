// The console's list pages on a big cluster, measured in the browser: the production server (one build, shared
// with the e2e tests) with 5,000 topics and 2,000 consumer groups created on its embedded broker through the
// batch admin codes, then the Topics and Groups pages opened in Debian's chromium. Per page: the server's
// time to first byte (Navigation Timing responseStart − requestStart), the full page load (loadEventEnd) and
// the time until the table shows its rows, cold (first load) and warm (median of 5). Target: < 1 s.
import type { Page } from 'playwright-core'
import buildOnce from '../e2e/build-once'
import { login, openBrowser, startConsole } from '../e2e/harness'
import { seedTopicsAndGroups } from '../helpers/seed-cluster'
import { percentile, result, type BenchResult } from './bench-kit'

const TOPICS = 5_000
const GROUPS = 2_000
const WARM_RUNS = 5
const PAGE_TARGET_MS = 1_000

interface PageTiming {
  /** Time to first byte as the browser saw it: the server's render of the page. */
  readonly serverMs: number
  /** Navigation start to the load event. */
  readonly loadMs: number
  /** goto() to the table's first row being visible. */
  readonly rowsVisibleMs: number
}

async function timePage(page: Page, url: string, rowSelector: string): Promise<PageTiming> {
  const started = performance.now()
  await page.goto(url, { waitUntil: 'load' })
  await page.locator(rowSelector).first().waitFor({ state: 'visible', timeout: 30_000 })
  const rowsVisibleMs = performance.now() - started
  const nav = await page.evaluate(() => {
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return {
      serverMs: entry.responseStart - entry.requestStart,
      loadMs: entry.loadEventEnd - entry.startTime,
    }
  })
  return { ...nav, rowsVisibleMs }
}

async function measure(page: Page, url: string, rowSelector: string) {
  const cold = await timePage(page, url, rowSelector)
  const warm: PageTiming[] = []
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await timePage(page, url, rowSelector))
  const median = (pick: (t: PageTiming) => number) =>
    percentile(
      warm.map(pick).sort((a, b) => a - b),
      50,
    )
  return {
    cold,
    warm: {
      serverMs: median((t) => t.serverMs),
      loadMs: median((t) => t.loadMs),
      rowsVisibleMs: median((t) => t.rowsVisibleMs),
    },
  }
}

export async function consolePagesBenchmarks(quick: boolean): Promise<BenchResult[]> {
  if (process.env.MQDECK_BENCH_SKIP_BUILD !== '1') buildOnce()
  const server = await startConsole({ demo: false })
  const browser = await openBrowser()
  await login(browser.page, server)
  const out: BenchResult[] = []
  try {
    const seedStarted = performance.now()
    await seedTopicsAndGroups(server.brokerAddr, {
      topics: Array.from({ length: quick ? TOPICS / 5 : TOPICS }, (_, i) => ({
        topicName: `bench_topic_${String(i).padStart(5, '0')}`,
        readQueueNums: 8,
        writeQueueNums: 8,
      })),
      groups: Array.from({ length: quick ? GROUPS / 5 : GROUPS }, (_, i) => ({
        groupName: `bench_group_${String(i).padStart(5, '0')}`,
      })),
    })
    out.push(result('console.seed.5000topics_2000groups', performance.now() - seedStarted, 'ms'))
    const base = `${server.baseUrl}/c/embedded`
    const pages = [
      ['topics', `${base}/topics`, '[data-testid="topics"] tbody tr'],
      ['topics.filtered', `${base}/topics?q=bench_topic_04`, '[data-testid="topics"] tbody tr'],
      ['groups', `${base}/groups`, '[data-testid="groups"] tbody tr'],
    ] as const
    for (const [name, url, rows] of pages) {
      const { cold, warm } = await measure(browser.page, url, rows)
      const target = { target: PAGE_TARGET_MS, targetKind: 'max' as const }
      out.push(result(`console.page.${name}.server.cold`, cold.serverMs, 'ms', target))
      out.push(result(`console.page.${name}.load.cold`, cold.loadMs, 'ms', target))
      out.push(result(`console.page.${name}.server.warm`, warm.serverMs, 'ms', target))
      out.push(result(`console.page.${name}.load.warm`, warm.loadMs, 'ms', target))
      out.push(result(`console.page.${name}.rows_visible.warm`, warm.rowsVisibleMs, 'ms', target))
    }
  } finally {
    await browser.close()
    await server.stop()
  }
  return out
}
