// The admin services' tests share this: a real engine (standalone broker + NameServer on free ports and a temp
// dir), a real migrated SQLite file as the process database, the engine registered twice as a cluster connection
// (read-write and read-only), and a remoting client harness to consume and heartbeat like a client.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startStandaloneBroker, type StandaloneBroker } from '@/broker-engine/index'
import type { Actor } from '@/lib/auth/session'
import type { AppError } from '@/lib/errors'
import { addClusterConnection, removeClusterConnection } from '@/lib/cluster/registry'
import { consoleContext, type ConsoleContext } from '@/lib/console/console-context'
import { invalidateSnapshots } from '@/lib/console/snapshot-cache'
import { createPrismaClient, type AuditLog, type Db } from '@/lib/db'
import type { GatewayHarness } from '../cluster/gateway-conformance'
import { remoteHarness } from '../cluster/remote-harness'
import { migrateFreshDatabase } from '../../helpers/migrate'

export const ADMIN: Actor = { userId: 1, username: 'ada', role: 'admin' }
export const OPERATOR: Actor = { userId: 2, username: 'otto', role: 'operator' }
export const VIEWER: Actor = { userId: 3, username: 'vera', role: 'viewer' }

export interface AdminFixture {
  readonly client: Db
  readonly broker: StandaloneBroker
  readonly harness: GatewayHarness
  /** The engine as a read-write cluster connection. */
  readonly ctx: ConsoleContext
  /** The same engine as a read-only one. */
  readonly readOnly: ConsoleContext
  /** The audit rows of one idempotency key, oldest first. */
  auditRows(idempotencyKey: string): Promise<AuditLog[]>
  close(): Promise<void>
}

let keySeq = 0

/** A fresh idempotency key, as a dialog makes one per opening. */
export function newKey(label: string): string {
  return `${label}-${process.pid}-${++keySeq}-${Date.now().toString(36)}`
}

export async function startAdminFixture(name: string): Promise<AdminFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), `mqdeck-${name}-`))
  const rwId = `${name}-rw`
  const roId = `${name}-ro`
  process.env.DATABASE_URL = migrateFreshDatabase(dir)
  const client = createPrismaClient(process.env.DATABASE_URL)
  let broker: StandaloneBroker | undefined
  let harness: GatewayHarness | undefined
  const close = async () => {
    for (const id of [rwId, roId]) {
      invalidateSnapshots(id)
      await removeClusterConnection(id).catch(() => undefined)
    }
    await harness?.close()
    await broker?.close()
    await client.$disconnect()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    broker = await startStandaloneBroker({
      config: { storePathRootDir: path.join(dir, 'store'), listenPort: 0, brokerName: 'broker-a' },
      namesrvPort: 0,
      log: () => undefined,
    })
    await addClusterConnection({ id: rwId, name: 'rw', namesrvAddrs: broker.namesrvAddr! })
    await addClusterConnection({ id: roId, name: 'ro', namesrvAddrs: broker.namesrvAddr!, readOnly: true })
    harness = await remoteHarness({ namesrvAddrs: [broker.namesrvAddr!], routeTtlMs: 0 })
    const ctx = await consoleContext(rwId)
    const readOnly = await consoleContext(roId)
    return {
      client,
      broker,
      harness,
      ctx,
      readOnly,
      auditRows: (idempotencyKey) =>
        client.auditLog.findMany({ where: { idempotencyKey }, orderBy: { id: 'asc' } }),
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}

/**
 * Starts the fixture before the calling file's tests and closes it after them. The object it returns reads the
 * fixture at use, so tests can hold it from the top of the file.
 */
export function adminFixtureFor(name: string): AdminFixture {
  let fixture: AdminFixture | undefined
  beforeAll(async () => {
    fixture = await startAdminFixture(name)
  })
  afterAll(() => fixture?.close())
  const current = (): AdminFixture => {
    if (!fixture) throw new Error('the admin fixture starts in beforeAll')
    return fixture
  }
  return {
    get client() {
      return current().client
    },
    get broker() {
      return current().broker
    },
    get harness() {
      return current().harness
    },
    get ctx() {
      return current().ctx
    },
    get readOnly() {
      return current().readOnly
    },
    auditRows: (idempotencyKey) => current().auditRows(idempotencyKey),
    close: () => current().close(),
  }
}

/** The AppError a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (err) {
    return err as AppError
  }
  throw new Error('expected a rejection')
}
