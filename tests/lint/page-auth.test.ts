// Every page checks the session itself on the server (pageActor, or loadPageData which calls it). proxy.ts only
// sees that a session cookie is there — a forged one passes it — and a layout's check does not run again when the
// user moves between the pages under it. Only /login (logging in) and / (a redirect) are open.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const APP_DIR = path.resolve(import.meta.dirname, '..', '..', 'app')
const OPEN_PAGES = new Set(['login/page.tsx', 'page.tsx'])
/** Calls that check the session (the page loaders call loadPageData, which calls pageActor). */
const SESSION_CHECK = /\b(?:pageActor|loadPageData|loadListPage|loadDetailPage)\(/

function pageFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return name === 'api' ? [] : pageFiles(full)
    return name === 'page.tsx' ? [full] : []
  })
}

describe('pages', () => {
  const pages = pageFiles(APP_DIR).map((file) => path.relative(APP_DIR, file).split(path.sep).join('/'))

  it('are found', () => {
    expect(pages.length).toBeGreaterThan(10)
    for (const open of OPEN_PAGES) expect(pages).toContain(open)
  })

  it('each check the session on the server, except the open ones', () => {
    const unguarded = pages.filter(
      (page) => !OPEN_PAGES.has(page) && !SESSION_CHECK.test(readFileSync(path.join(APP_DIR, page), 'utf8')),
    )
    expect(unguarded).toEqual([])
  })

  it('loadPageData checks the session before it loads anything', () => {
    const text = readFileSync(path.join(APP_DIR, '_lib', 'page-data.ts'), 'utf8')
    const body = text.slice(text.indexOf('export async function loadPageData'))
    expect(body.indexOf('await pageActor()')).toBeGreaterThan(0)
    expect(body.indexOf('await pageActor()')).toBeLessThan(body.indexOf('await load()'))
  })
})
