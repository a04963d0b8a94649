// Every JSON route handler checks the session on the server (requireActor) — the proxy's cookie-presence check
// alone lets a forged cookie through. Only /api/health (load balancers) and /api/session (logging in) are public.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const API_DIR = path.resolve(import.meta.dirname, '..', '..', 'app', 'api')
const PUBLIC_ROUTES = new Set(['health/route.ts', 'session/route.ts'])

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return routeFiles(full)
    return name === 'route.ts' ? [full] : []
  })
}

describe('route handlers', () => {
  const routes = routeFiles(API_DIR).map((file) => path.relative(API_DIR, file).split(path.sep).join('/'))

  it('are found', () => {
    expect(routes.length).toBeGreaterThan(10)
    for (const open of PUBLIC_ROUTES) expect(routes).toContain(open)
  })

  it('each check the session with requireActor in every exported handler, except the public ones', () => {
    const unguarded: string[] = []
    for (const route of routes) {
      if (PUBLIC_ROUTES.has(route)) continue
      const text = readFileSync(path.join(API_DIR, route), 'utf8')
      const handlers = [...text.matchAll(/export async function (GET|POST|PUT|PATCH|DELETE)\b/g)].length
      const checks = [...text.matchAll(/await requireActor\(/g)].length
      if (handlers === 0 || checks < handlers)
        unguarded.push(`${route} (${handlers} handlers, ${checks} checks)`)
    }
    expect(unguarded).toEqual([])
  })
})
