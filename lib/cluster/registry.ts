// The clusters the console manages: the embedded engine (id "embedded", always there) plus the remote
// connections stored in the database (NameServer addresses, optional read-only flag and ACL credentials), and one
// gateway per cluster id, built on first use and kept on globalThis (Next loads this module several times).
import 'server-only'
import { z } from 'zod'
import { db } from '@/lib/db'
import { getEmbeddedStandalone } from '@/lib/engine/embedded-engine'
import { AppError, toAppError } from '@/lib/errors'
import { invalidateSnapshots } from '@/lib/console/snapshot-cache'
import { EmbeddedGateway } from './embedded-gateway'
import type { ClusterGateway } from './gateway'
import { parseNamesrvAddrs, RemoteGateway } from './remote-gateway'

export const EMBEDDED_CLUSTER_ID = 'embedded'
const EMBEDDED_CLUSTER_NAME = 'Embedded engine'

export interface ClusterConnectionView {
  readonly id: string
  readonly name: string
  readonly kind: 'embedded' | 'remote'
  readonly namesrvAddrs: readonly string[]
  readonly readOnly: boolean
  /** Whether ACL credentials are stored (they never leave the server). */
  readonly hasCredentials: boolean
}

/** A cluster id is a URL path segment: /c/<id>/... */
export const clusterIdSchema = z
  .string()
  .trim()
  .min(1, 'an id is needed')
  .max(40, 'at most 40 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner dashes only')

export const clusterConnectionInputSchema = z
  .object({
    id: clusterIdSchema.refine((id) => id !== EMBEDDED_CLUSTER_ID, `"${EMBEDDED_CLUSTER_ID}" is built in`),
    name: z.string().trim().min(1, 'a name is needed').max(80),
    namesrvAddrs: z.string().trim().min(1, 'at least one NameServer address is needed').max(2_000),
    readOnly: z.boolean().default(false),
    accessKey: z.string().trim().max(200).optional(),
    secretKey: z.string().max(200).optional(),
  })
  .superRefine((input, ctx) => {
    try {
      parseNamesrvAddrs(input.namesrvAddrs)
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['namesrvAddrs'], message: toAppError(err).message })
    }
    if (Boolean(input.accessKey) !== Boolean(input.secretKey))
      ctx.addIssue({
        code: 'custom',
        path: ['secretKey'],
        message: 'give both the access key and the secret key',
      })
  })

export type ClusterConnectionInput = z.input<typeof clusterConnectionInputSchema>

interface GatewayEntry {
  readonly gateway: Promise<ClusterGateway>
  /** The stored row's updatedAt it was built from: a changed connection gets a new gateway. */
  readonly version: string
}

const g = globalThis as unknown as { __mqdeckGateways?: Map<string, GatewayEntry> }

function gateways(): Map<string, GatewayEntry> {
  return (g.__mqdeckGateways ??= new Map<string, GatewayEntry>())
}

function embeddedView(): ClusterConnectionView {
  return {
    id: EMBEDDED_CLUSTER_ID,
    name: EMBEDDED_CLUSTER_NAME,
    kind: 'embedded',
    namesrvAddrs: [],
    readOnly: false,
    hasCredentials: false,
  }
}

type StoredConnection = Awaited<ReturnType<ReturnType<typeof db>['clusterConnection']['findUnique']>> & {}

function viewOf(row: StoredConnection): ClusterConnectionView {
  return {
    id: row.id,
    name: row.name,
    kind: 'remote',
    namesrvAddrs: parseNamesrvAddrs(row.namesrvAddrs),
    readOnly: row.readOnly,
    hasCredentials: Boolean(row.accessKey && row.secretKey),
  }
}

/** Every cluster, the embedded one first, then the stored ones by name. */
export async function listClusterConnections(): Promise<ClusterConnectionView[]> {
  try {
    const rows = await db().clusterConnection.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }] })
    return [embeddedView(), ...rows.map(viewOf)]
  } catch (err) {
    throw toAppError(err)
  }
}

/** One cluster; NOT_FOUND for an unknown id. */
export async function getClusterConnection(id: string): Promise<ClusterConnectionView> {
  if (id === EMBEDDED_CLUSTER_ID) return embeddedView()
  return viewOf(await storedConnection(id))
}

async function storedConnection(id: string): Promise<StoredConnection> {
  let row: StoredConnection | null
  try {
    row = await db().clusterConnection.findUnique({ where: { id } })
  } catch (err) {
    throw toAppError(err)
  }
  if (!row) throw new AppError('NOT_FOUND', `no cluster "${id}"; add it on the Clusters page`)
  return row
}

/** The gateway of cluster `id`, built once (again after the connection changed); NOT_FOUND for an unknown id. */
export async function getGateway(id: string): Promise<ClusterGateway> {
  if (id === EMBEDDED_CLUSTER_ID) {
    const entry = gateways().get(id)
    if (entry) return entry.gateway
    const gateway = getEmbeddedStandalone().then((engine) => new EmbeddedGateway(engine))
    gateways().set(id, { gateway, version: '' })
    gateway.catch(() => gateways().delete(id))
    return gateway
  }
  const row = await storedConnection(id)
  const version = row.updatedAt.toISOString()
  const entry = gateways().get(id)
  if (entry?.version === version) return entry.gateway
  if (entry) void entry.gateway.then((old) => old.close()).catch(() => undefined)
  const gateway = Promise.resolve(
    new RemoteGateway({
      namesrvAddrs: row.namesrvAddrs,
      credentials:
        row.accessKey && row.secretKey ? { accessKey: row.accessKey, secretKey: row.secretKey } : undefined,
    }),
  )
  gateways().set(id, { gateway, version })
  return gateway
}

/** Stores a remote cluster connection (VALIDATION_FAILED with field errors; CONFLICT when the id is taken). */
export async function addClusterConnection(input: ClusterConnectionInput): Promise<ClusterConnectionView> {
  try {
    const parsed = clusterConnectionInputSchema.parse(input)
    const row = await db().clusterConnection.create({
      data: {
        id: parsed.id,
        name: parsed.name,
        namesrvAddrs: parseNamesrvAddrs(parsed.namesrvAddrs).join(';'),
        readOnly: parsed.readOnly,
        accessKey: parsed.accessKey || null,
        secretKey: parsed.secretKey || null,
      },
    })
    return viewOf(row)
  } catch (err) {
    throw toAppError(err)
  }
}

/** Forgets a stored connection and closes its gateway; the embedded cluster cannot be removed. */
export async function removeClusterConnection(id: string): Promise<void> {
  if (id === EMBEDDED_CLUSTER_ID)
    throw new AppError('VALIDATION_FAILED', 'the embedded cluster is built in and cannot be removed')
  await storedConnection(id)
  try {
    await db().clusterConnection.delete({ where: { id } })
  } catch (err) {
    throw toAppError(err)
  }
  const entry = gateways().get(id)
  gateways().delete(id)
  invalidateSnapshots(id)
  if (entry) await entry.gateway.then((gateway) => gateway.close()).catch(() => undefined)
}
