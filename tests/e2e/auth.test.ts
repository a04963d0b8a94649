// Login is required: pages redirect to /login and JSON routes answer 401 without a session; a wrong password is
// refused with one generic message; the admin creates a viewer, who logs in, is refused /users (FORBIDDEN page)
// and an admin action (adding a cluster), and logs out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  closeAll,
  E2E_ADMIN_PASSWORD,
  login,
  openBrowser,
  POLL,
  saveScreenshot,
  sessionCookie,
  startConsole,
  type Browser,
  type ConsoleServer,
} from './harness'

const VIEWER = { username: 'vera', password: 'vera-password-1' }

let server: ConsoleServer
let browser: Browser

beforeAll(async () => {
  server = await startConsole({ demo: false })
  browser = await openBrowser()
})

afterAll(async () => {
  await closeAll(server, browser)
})

describe('login', () => {
  it('creates the first admin from MQDECK_ADMIN_PASSWORD without printing it', () => {
    expect(server.output()).toContain('created the first account "admin"')
    expect(server.output()).not.toContain(E2E_ADMIN_PASSWORD)
  })

  it('redirects a page to /login?next=… and answers JSON routes 401 without a session', async () => {
    const { page } = browser
    await page.goto(`${server.baseUrl}/c/embedded/topics?q=abc`)
    await page.waitForURL((url) => url.pathname === '/login')
    expect(new URL(page.url()).searchParams.get('next')).toBe('/c/embedded/topics?q=abc')
    await saveScreenshot(page, 'login')

    const api = await fetch(`${server.baseUrl}/api/c/embedded/topics`)
    expect(api.status).toBe(401)
    expect(await api.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })
    // A forged cookie gets past the proxy's presence check but not the route's session check.
    const forged = await fetch(`${server.baseUrl}/api/c/embedded/topics`, {
      headers: { cookie: 'mqdeck_session=forged' },
    })
    expect(forged.status).toBe(401)
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200)
    // Nor past the pages' own checks (the Audit page has no layout of its own to check for it).
    for (const page of ['/clusters', '/audit', '/c/embedded/producers']) {
      const forgedPage = await fetch(`${server.baseUrl}${page}`, {
        headers: { cookie: 'mqdeck_session=forged' },
        redirect: 'manual',
      })
      expect(forgedPage.status, page).toBe(307)
      expect(forgedPage.headers.get('location')).toContain(`/login?next=${encodeURIComponent(page)}`)
    }
  })

  it('refuses a wrong password with one generic message, for a known and an unknown user alike', async () => {
    const { page } = browser
    for (const username of ['admin', 'nobody']) {
      await page.goto(`${server.baseUrl}/login`)
      await page.getByTestId('login-username').fill(username)
      await page.getByTestId('login-password').fill('not-the-password')
      await page.getByTestId('login-submit').click()
      await expect
        .poll(() => page.getByTestId('login-error').textContent(), POLL)
        .toBe('Wrong username or password.')
      expect(new URL(page.url()).pathname).toBe('/login')
    }
    const api = await fetch(`${server.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'not-the-password' }),
    })
    expect(api.status).toBe(401)
  })

  it('logs the admin in and goes back to the page asked for; the cookie is httpOnly and SameSite=Lax', async () => {
    const { page, context } = browser
    await page.goto(`${server.baseUrl}/c/embedded/topics`)
    await page.waitForURL((url) => url.pathname === '/login')
    await page.getByTestId('login-username').fill('admin')
    await page.getByTestId('login-password').fill(E2E_ADMIN_PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.waitForURL((url) => url.pathname === '/c/embedded/topics', { timeout: POLL.timeout })
    await expect.poll(() => page.getByTestId('user-name').textContent(), POLL).toBe('admin')
    expect(await page.getByTestId('user-role').textContent()).toBe('admin')
    const cookie = (await context.cookies(server.baseUrl)).find((c) => c.name === 'mqdeck_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    // Plain http on 127.0.0.1 (npm start): not Secure, or the browser would drop it.
    expect(cookie?.secure).toBe(false)
  })
})

describe('roles', () => {
  it('the admin creates a viewer on /users', async () => {
    const { page } = browser
    await page.goto(`${server.baseUrl}/users`)
    await page.getByTestId('users-table').waitFor()
    const form = page.getByTestId('create-user-form')
    await form.locator('input[name="username"]').fill(VIEWER.username)
    await form.locator('input[name="password"]').fill(VIEWER.password)
    await form.locator('select[name="role"]').selectOption('viewer')
    await page.getByTestId('create-user-submit').click()
    await page.getByTestId(`user-row-${VIEWER.username}`).waitFor({ timeout: POLL.timeout })
    expect(await page.getByTestId(`user-role-${VIEWER.username}`).inputValue()).toBe('viewer')
    await saveScreenshot(page, 'users')
  })

  it('the viewer logs in, reads pages, and is refused /users and an admin action', async () => {
    const { page } = browser
    await page.getByTestId('logout').click()
    await page.waitForURL((url) => url.pathname === '/login')
    await login(page, server, VIEWER)
    await expect.poll(() => page.getByTestId('user-role').textContent(), POLL).toBe('viewer')

    await page.goto(`${server.baseUrl}/users`)
    await page.getByTestId('forbidden').waitFor()
    expect(await page.getByTestId('forbidden').innerText()).toContain('FORBIDDEN')
    expect(await page.locator('[data-testid="users-table"]').count()).toBe(0)
    await saveScreenshot(page, 'users-forbidden')

    await page.goto(`${server.baseUrl}/clusters`)
    await page.locator('[data-testid="clusters"]').waitFor()
    await page.fill('input[name="id"]', 'viewer-made')
    await page.fill('input[name="name"]', 'Viewer made')
    await page.fill('input[name="namesrvAddrs"]', '127.0.0.1:9')
    await page.click('[data-testid="add-cluster-form"] button[type="submit"]')
    await expect.poll(() => page.getByTestId('add-cluster-result').textContent(), POLL).toMatch(/admin/)
    expect(await page.locator('[data-cluster-id="viewer-made"]').count()).toBe(0)

    // JSON routes work for the viewer; the cluster was not added.
    const cookie = await sessionCookie(server, VIEWER)
    const clusters = await fetch(`${server.baseUrl}/api/clusters`, { headers: { cookie } })
    expect(clusters.status).toBe(200)
    const { clusters: list } = (await clusters.json()) as { clusters: { id: string }[] }
    expect(list.map((c) => c.id)).not.toContain('viewer-made')
  })

  it('logs out: the session ends on the server too', async () => {
    const { page, context } = browser
    const before = (await context.cookies(server.baseUrl)).find((c) => c.name === 'mqdeck_session')
    expect(before).toBeDefined()
    await page.getByTestId('logout').click()
    await page.waitForURL((url) => url.pathname === '/login')
    expect((await context.cookies(server.baseUrl)).find((c) => c.name === 'mqdeck_session')).toBeUndefined()
    // The old token no longer works anywhere.
    const reused = await fetch(`${server.baseUrl}/api/clusters`, {
      headers: { cookie: `mqdeck_session=${before!.value}` },
    })
    expect(reused.status).toBe(401)
    await page.goto(`${server.baseUrl}/c/embedded`)
    await page.waitForURL((url) => url.pathname === '/login')
  })
})
