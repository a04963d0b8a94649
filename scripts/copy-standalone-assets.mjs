// After `next build`: copy what the standalone server does not trace itself (.next/static and public/) next to
// .next/standalone/server.js, so `node .next/standalone/server.js` serves CSS, JS chunks and public files.
import { cpSync, existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const standaloneDir = path.join(repoRoot, '.next', 'standalone')

if (!existsSync(path.join(standaloneDir, 'server.js'))) {
  console.error(
    '[mqdeck] .next/standalone/server.js is missing; is `output: "standalone"` set in next.config.js?',
  )
  process.exit(1)
}

const copies = [
  [path.join(repoRoot, '.next', 'static'), path.join(standaloneDir, '.next', 'static')],
  [path.join(repoRoot, 'public'), path.join(standaloneDir, 'public')],
]

for (const [from, to] of copies) {
  if (!existsSync(from)) continue
  rmSync(to, { recursive: true, force: true })
  cpSync(from, to, { recursive: true })
  console.log(`[mqdeck] copied ${path.relative(repoRoot, from)} -> ${path.relative(repoRoot, to)}`)
}
