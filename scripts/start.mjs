// `npm start`: brings a fresh clone up with nothing else installed (plain Node, no dependencies needed).
// Installs node_modules if missing, applies database migrations, builds when the build is missing or older
// than the sources, then runs the standalone server on 127.0.0.1 and forwards SIGTERM/SIGINT to it so the
// embedded engine can flush and checkpoint before exit.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const serverJs = path.join(repoRoot, '.next', 'standalone', 'server.js')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** Sources whose change needs a rebuild. Same defaults as lib/config/paths.ts for the paths below. */
const SOURCE_DIRS = ['app', 'lib', 'broker-engine', 'prisma', 'public']
const SOURCE_FILES = [
  'instrumentation.ts',
  'next.config.js',
  'prisma.pg.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
]
const SKIP_DIRS = new Set(['node_modules', 'generated', '.next'])

function log(message) {
  console.log(`[mqdeck] ${message}`)
}

function run(command, args, env) {
  log(`$ ${[command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit' })
  if (result.error) throw result.error
  if (result.status !== 0) {
    log(`${command} ${args[0] ?? ''} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
}

/** Newest modification time (ms) of any file under `dir`, skipping generated and dependency folders. */
function newestMtimeMs(dir) {
  let newest = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) newest = Math.max(newest, newestMtimeMs(full))
    } else if (entry.isFile()) {
      newest = Math.max(newest, statSync(full).mtimeMs)
    }
  }
  return newest
}

function buildIsStale() {
  if (!existsSync(serverJs)) return 'no build yet'
  const builtAtMs = statSync(serverJs).mtimeMs
  let sourcesMs = 0
  for (const dir of SOURCE_DIRS) sourcesMs = Math.max(sourcesMs, newestMtimeMs(path.join(repoRoot, dir)))
  for (const file of SOURCE_FILES) {
    const full = path.join(repoRoot, file)
    if (existsSync(full)) sourcesMs = Math.max(sourcesMs, statSync(full).mtimeMs)
  }
  return sourcesMs > builtAtMs ? 'sources changed since the last build' : undefined
}

const dataDir = path.join(repoRoot, 'data')
mkdirSync(dataDir, { recursive: true })

const env = {
  ...process.env,
  // Absolute: the standalone server chdirs into .next/standalone, where a relative path opens an empty file.
  DATABASE_URL: process.env.DATABASE_URL || pathToFileURL(path.join(dataDir, 'mqdeck.db')).href,
  MQDECK_STORE_DIR: path.resolve(repoRoot, process.env.MQDECK_STORE_DIR || path.join(dataDir, 'store')),
  PORT: process.env.PORT || '3000',
  HOSTNAME: '127.0.0.1',
  NEXT_TELEMETRY_DISABLED: '1',
  CHECKPOINT_DISABLE: '1',
}

if (!existsSync(path.join(repoRoot, 'node_modules'))) {
  log('node_modules is missing: installing dependencies')
  run(npm, ['ci'], env)
}

// The wrapper picks the Prisma config (SQLite or PostgreSQL) from DATABASE_URL's scheme.
run(process.execPath, [path.join(repoRoot, 'prisma', 'pg', 'run-prisma.mjs'), 'migrate', 'deploy'], env)

const staleReason = buildIsStale()
if (staleReason) {
  log(`building (${staleReason})`)
  run(npm, ['run', 'build'], env)
}

log(`starting http://${env.HOSTNAME}:${env.PORT} (store: ${env.MQDECK_STORE_DIR})`)
const server = spawn(process.execPath, [serverJs], { cwd: repoRoot, env, stdio: 'inherit' })

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    // The server closes the store before it exits; a repeated signal is ignored there, so forwarding is safe.
    if (server.exitCode === null && server.signalCode === null) server.kill(signal)
  })
}

// Say where to open the console once it answers (the engine, the demo and the first page are up by then).
const consoleUrl = `http://${env.HOSTNAME}:${env.PORT}`
const readyDeadlineMs = Date.now() + 120_000
let announced = false
const readyTimer = setInterval(() => {
  if (Date.now() > readyDeadlineMs) {
    clearInterval(readyTimer)
    log(`${consoleUrl}/api/health did not answer within 2 minutes; see the server output above`)
    return
  }
  fetch(`${consoleUrl}/api/health`)
    .then(async (response) => {
      if (!response.ok || announced) return
      announced = true
      clearInterval(readyTimer)
      const health = await response.json()
      log(`ready: open ${consoleUrl} in a browser`)
      log(`RocketMQ clients: NameServer ${health.namesrvAddr}, broker ${health.brokerAddr}`)
    })
    .catch(() => undefined)
}, 500)

server.on('exit', (code, signal) => {
  clearInterval(readyTimer)
  log(signal ? `server stopped by ${signal}` : `server exited with code ${code}`)
  process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1))
})
