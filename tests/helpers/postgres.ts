// Test helper: a throwaway PostgreSQL server per test file (initdb into a temp dir, 127.0.0.1 on a free port,
// socket in the temp dir) and the real `prisma migrate deploy` for it. PostgreSQL must be installed (CI's .ci/run
// installs it); a missing server fails the test rather than skipping it.
import { execFile, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { runPrismaCli } from './migrate'

const execFileAsync = promisify(execFile)
const PG_LIB_DIR = '/usr/lib/postgresql'
const DATABASE_NAME = 'mqdeck'
const SUPERUSER = 'postgres'
const START_ATTEMPTS = 3

export interface PostgresServer {
  /** postgresql://postgres@127.0.0.1:<port>/mqdeck (trust auth, local only). */
  readonly url: string
  /** Stops the server (pg_ctl stop -m fast) and deletes its directory; safe to call twice. */
  stop(): Promise<void>
}

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl. */
export function findPostgresBinDir(): string {
  const versions = existsSync(PG_LIB_DIR)
    ? readdirSync(PG_LIB_DIR)
        .filter((entry) => existsSync(path.join(PG_LIB_DIR, entry, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const newest = versions[0]
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL is not installed: no ${PG_LIB_DIR}/<version>/bin/initdb. ` +
        'Install it with `apt-get install -y postgresql` (.ci/run does this on CI).',
    )
  }
  return path.join(PG_LIB_DIR, newest, 'bin')
}

/** initdb and the server refuse to run as root; as root every command runs as the `postgres` user. */
function asServerUser(binary: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', SUPERUSER, '--', binary, ...args]]
    : [binary, [...args]]
}

async function run(binary: string, args: readonly string[]): Promise<void> {
  const [command, commandArgs] = asServerUser(binary, args)
  try {
    await execFileAsync(command, commandArgs, { encoding: 'utf8' })
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string }
    throw new Error(`${path.basename(binary)} failed: ${String(stderr || stdout || err)}`, { cause: err })
  }
}

function userIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`))
  const [, , uid, gid] = line?.split(':') ?? []
  if (uid === undefined || gid === undefined) throw new Error(`no "${user}" user: is PostgreSQL installed?`)
  return { uid: Number(uid), gid: Number(gid) }
}

/** A port free right now on 127.0.0.1 (the server binds it a moment later; start retries on a clash). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Starts a fresh PostgreSQL server with an empty `mqdeck` database; a few seconds. */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findPostgresBinDir()
  const dir = mkdtempSync(path.join(tmpdir(), 'mqdeck-pg-'))
  const dataDir = path.join(dir, 'data')
  const logFile = path.join(dir, 'server.log')
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds(SUPERUSER)
    chownSync(dir, uid, gid)
  }
  const pgCtl = path.join(binDir, 'pg_ctl')
  let started = false
  // If the test process dies without calling stop(), the postmaster must not outlive it.
  const stopOnExit = (): void => {
    const [command, args] = asServerUser(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w'])
    spawnSync(command, args, { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    await run(path.join(binDir, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ])
    let port = 0
    for (let attempt = 1; !started; attempt++) {
      port = await freePort()
      // Durability is irrelevant for a throwaway test server; these settings make it start and write faster.
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
      try {
        await run(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options])
        started = true
        process.once('exit', stopOnExit)
      } catch (err) {
        if (attempt >= START_ATTEMPTS) {
          const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''
          throw new Error(`${(err as Error).message}\nserver log:\n${log}`, { cause: err })
        }
      }
    }
    await run(path.join(binDir, 'createdb'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      SUPERUSER,
      DATABASE_NAME,
    ])

    let stopped = false
    return {
      url: `postgresql://${SUPERUSER}@127.0.0.1:${port}/${DATABASE_NAME}`,
      async stop() {
        if (stopped) return
        stopped = true
        process.removeListener('exit', stopOnExit)
        try {
          await run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w'])
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
    }
  } catch (err) {
    if (started) stopOnExit()
    else rmSync(dir, { recursive: true, force: true })
    process.removeListener('exit', stopOnExit)
    throw err
  }
}

/** Applies prisma/pg/migrations to the database at `url` with the real CLI (prisma.pg.config.ts). */
export function migrateFreshPostgres(url: string): string {
  runPrismaCli(['migrate', 'deploy'], url)
  return url
}
