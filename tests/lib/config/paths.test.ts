// lib/config/paths.ts: defaults are absolute and survive the standalone server's chdir.
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveDatabaseUrl, resolveRepoRoot, resolveStoreDir } from '@/lib/config/paths'

describe('lib/config/paths', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const tempRoot = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-paths-'))
    dirs.push(dir)
    return dir
  }

  it('maps .next/standalone back to the repository root', () => {
    expect(resolveRepoRoot('/srv/mqdeck/.next/standalone')).toBe('/srv/mqdeck')
    expect(resolveRepoRoot('/srv/mqdeck')).toBe('/srv/mqdeck')
  })

  it('defaults DATABASE_URL to an absolute file URL under <repo>/data and creates the folder', () => {
    const root = tempRoot()
    const url = resolveDatabaseUrl({}, path.join(root, '.next', 'standalone'))
    expect(url.startsWith('file:///')).toBe(true)
    expect(fileURLToPath(url)).toBe(path.join(root, 'data', 'mqdeck.db'))
    expect(existsSync(path.join(root, 'data'))).toBe(true)
  })

  it('prefers DATABASE_URL and MQDECK_STORE_DIR from the environment', () => {
    expect(resolveDatabaseUrl({ DATABASE_URL: 'file:/tmp/x.db' })).toBe('file:/tmp/x.db')
    expect(resolveStoreDir({ MQDECK_STORE_DIR: '/var/lib/mqdeck' }, '/srv/mqdeck')).toBe('/var/lib/mqdeck')
    expect(resolveStoreDir({ MQDECK_STORE_DIR: 'store' }, '/srv/mqdeck')).toBe('/srv/mqdeck/store')
    expect(resolveStoreDir({}, '/srv/mqdeck/.next/standalone')).toBe('/srv/mqdeck/data/store')
  })
})
