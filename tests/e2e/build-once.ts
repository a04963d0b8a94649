// vitest globalSetup of the e2e project: one production build (`npm run build`, the standalone server) shared by
// every e2e file, so each file only starts its own server. MQDECK_E2E_SKIP_BUILD=1 reuses an existing build
// (local iteration only).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const BUILD_TIMEOUT_MS = 600_000

export default function buildOnce(): void {
  if (
    process.env.MQDECK_E2E_SKIP_BUILD === '1' &&
    existsSync(path.join(REPO_ROOT, '.next', 'standalone', 'server.js'))
  ) {
    return
  }
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  })
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.slice(-8000)
    throw new Error(`npm run build failed (${result.status ?? result.signal}):\n${output}`)
  }
}
