// The layer rules of docs/ARCHITECTURE.md as lint errors: each forbidden import is reported in the folder it is
// forbidden in, and the allowed ones are not. Runs the real eslint.config.js on probe sources (no type info).
import path from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..')

let eslint: ESLint

/** How many restricted imports are reported for `source` as if it were the file at `relativePath`. */
async function restrictedImports(relativePath: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(source, { filePath: path.join(REPO_ROOT, relativePath) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length
}

const importOf = (specifier: string) => `import * as probe from '${specifier}'\nexport const used = probe\n`

beforeAll(() => {
  eslint = new ESLint({
    cwd: REPO_ROOT,
    // Probe files do not exist on disk, so they are linted without type information.
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  })
})

describe('layer rules', () => {
  it.each([
    'next/headers',
    'react',
    '@prisma/client',
    '@/lib/db',
    '../../lib/db',
    '@/app/actions',
    '../app/page',
    '@/lib/generated/prisma/client',
  ])('broker-engine/ may not import %s', async (specifier) => {
    expect(await restrictedImports('broker-engine/store/probe.ts', importOf(specifier))).toBeGreaterThan(0)
  })

  it('broker-engine/ may import itself and Node', async () => {
    expect(await restrictedImports('broker-engine/store/probe.ts', importOf('../common/engine-error'))).toBe(
      0,
    )
    expect(await restrictedImports('broker-engine/store/probe.ts', importOf('node:fs'))).toBe(0)
  })

  it.each([
    '@/broker-engine/store/commit-log',
    '../../broker-engine/store/store-types',
    '@prisma/client',
    '@prisma/adapter-libsql',
    '@/lib/generated/prisma/client',
    '@/app/actions',
    'next/server',
    'react',
  ])('lib/ may not import %s', async (specifier) => {
    expect(await restrictedImports('lib/store/probe.ts', importOf(specifier))).toBeGreaterThan(0)
  })

  it.each([
    '@/broker-engine/index',
    '@/broker-engine',
    '../../broker-engine/index',
    'next/headers',
    'next/cache',
    '@/lib/db',
  ])('lib/ may import %s', async (specifier) => {
    expect(await restrictedImports('lib/store/probe.ts', importOf(specifier))).toBe(0)
  })

  it('only lib/db.ts may import Prisma', async () => {
    expect(await restrictedImports('lib/db.ts', importOf('@prisma/adapter-libsql'))).toBe(0)
    expect(await restrictedImports('lib/db.ts', importOf('@/lib/generated/prisma/client'))).toBe(0)
    expect(
      await restrictedImports('lib/db.ts', importOf('@/broker-engine/store/commit-log')),
    ).toBeGreaterThan(0)
  })

  it.each([
    '@/broker-engine/index',
    '../broker-engine/index',
    '@prisma/client',
    '@/lib/db',
    '@/lib/generated/prisma/client',
  ])('app/ may not import %s', async (specifier) => {
    expect(await restrictedImports('app/api/probe/route.ts', importOf(specifier))).toBeGreaterThan(0)
  })

  it('app/ may import lib operations, next and react', async () => {
    for (const specifier of ['@/lib/store/get-store-stats', 'next/server', 'react']) {
      expect(await restrictedImports('app/probe.tsx', importOf(specifier))).toBe(0)
    }
  })
})
