// vitest: node environment, `@/` = repo root, every tests/**/*.test.ts, one process per file (forks) because the
// engine's crash tests spawn and kill children. Two projects run one after the other: `unit` (everything but
// the browser) first, then `e2e`, so the production build and the browser never compete with timing-sensitive
// engine tests for the two cores, and `prisma generate` inside the build never rewrites the client while a
// unit test imports it. The summary reporter prints the closing line CI reads.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const repoRoot = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${repoRoot}/` },
      // `server-only` throws outside React server bundles; in tests lib/ runs as plain Node code.
      { find: /^server-only$/, replacement: path.join(repoRoot, 'node_modules', 'server-only', 'empty.js') },
    ],
  },
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**', '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          // One production build for every e2e file; each file starts its own server on free ports.
          globalSetup: ['./tests/e2e/build-once.ts'],
          // The files share two cores with chromium and a Next server each: one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
})
