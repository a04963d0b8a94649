// Where mqdeck keeps its files when no environment variable says otherwise: absolute paths under <repo>/data.
// Resolved at runtime because the standalone server chdirs into .next/standalone, where a relative
// `file:./x.db` would silently open an empty database.
import 'server-only'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const STANDALONE_SUFFIX = path.join('.next', 'standalone')

type Env = Readonly<Record<string, string | undefined>>

// The turbopackIgnore comments tell Next's file tracer these runtime paths are data, not code to bundle;
// without them it traces (and copies into the standalone output) the whole project.

/** The repository root: the working directory, or two levels up when running from `.next/standalone`. */
export function resolveRepoRoot(cwd: string = process.cwd()): string {
  const resolved = path.resolve(/*turbopackIgnore: true*/ cwd)
  return resolved.endsWith(path.sep + STANDALONE_SUFFIX)
    ? path.resolve(/*turbopackIgnore: true*/ resolved, '..', '..')
    : resolved
}

/** `DATABASE_URL`, or an absolute `file:` URL for `<repo>/data/mqdeck.db` (its folder is created). */
export function resolveDatabaseUrl(env: Env = process.env, cwd?: string): string {
  const fromEnv = env.DATABASE_URL?.trim()
  if (fromEnv) return fromEnv
  const dataDir = path.join(/*turbopackIgnore: true*/ resolveRepoRoot(cwd), 'data')
  mkdirSync(dataDir, { recursive: true })
  return pathToFileURL(path.join(/*turbopackIgnore: true*/ dataDir, 'mqdeck.db')).href
}

/** `MQDECK_STORE_DIR` made absolute, or `<repo>/data/store`. */
export function resolveStoreDir(env: Env = process.env, cwd?: string): string {
  const fromEnv = env.MQDECK_STORE_DIR?.trim()
  const root = resolveRepoRoot(cwd)
  return fromEnv
    ? path.resolve(/*turbopackIgnore: true*/ root, fromEnv)
    : path.join(/*turbopackIgnore: true*/ root, 'data', 'store')
}
