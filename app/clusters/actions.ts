'use server'
// Server actions of the Clusters page: add and remove a cluster connection (admin, through runMutation: audited
// and idempotent per form intent), and test one. Each parses its input with zod, calls one lib function and
// returns an ActionResult; credentials are never sent back.
import { revalidatePath } from 'next/cache'
import { actionFailure, type ActionResult } from '@/app/action-result'
import { requireActor } from '@/lib/auth/session'
import {
  addClusterConnection,
  clusterConnectionInputSchema,
  clusterIdSchema,
  removeClusterConnection,
  type ClusterConnectionView,
} from '@/lib/cluster/registry'
import {
  testClusterConnection,
  testConnectionInputSchema,
  type TestConnectionResult,
} from '@/lib/console/test-connection'
import { idempotencyKeySchema, runMutation } from '@/lib/mutations/run-mutation'

// Any logged-in user reaches runMutation, which refuses below admin itself: so a refused attempt is audited.
// The connection is the target, not the cluster acted on: a read-only cluster's connection can still be managed.

export async function addClusterAction(
  input: unknown,
  idempotencyKey: unknown,
): Promise<ActionResult<ClusterConnectionView>> {
  try {
    const actor = await requireActor('viewer')
    const parsed = clusterConnectionInputSchema.parse(input)
    const { outcome } = await runMutation(actor, {
      action: 'cluster.addConnection',
      minRole: 'admin',
      targetType: 'cluster',
      targetId: parsed.id,
      idempotencyKey: idempotencyKeySchema.parse(idempotencyKey),
      // The secret stays out of the audit log too: only whether one was given.
      request: {
        id: parsed.id,
        name: parsed.name,
        namesrvAddrs: parsed.namesrvAddrs,
        readOnly: parsed.readOnly,
        credentials: Boolean(parsed.accessKey && parsed.secretKey),
      },
      run: () => addClusterConnection(parsed),
      summarize: (view) => ({ id: view.id, namesrvAddrs: view.namesrvAddrs, readOnly: view.readOnly }),
    })
    // The header's cluster switcher is rendered by the root layout.
    revalidatePath('/', 'layout')
    return { ok: true, data: outcome }
  } catch (err) {
    return actionFailure(err, 'addClusterAction')
  }
}

export async function removeClusterAction(
  id: unknown,
  idempotencyKey: unknown,
): Promise<ActionResult<{ id: string }>> {
  try {
    const actor = await requireActor('viewer')
    const parsed = clusterIdSchema.parse(id)
    await runMutation(actor, {
      action: 'cluster.removeConnection',
      minRole: 'admin',
      targetType: 'cluster',
      targetId: parsed,
      idempotencyKey: idempotencyKeySchema.parse(idempotencyKey),
      request: { id: parsed },
      run: () => removeClusterConnection(parsed),
    })
    revalidatePath('/', 'layout')
    return { ok: true, data: { id: parsed } }
  } catch (err) {
    return actionFailure(err, 'removeClusterAction')
  }
}

export async function testConnectionAction(input: unknown): Promise<ActionResult<TestConnectionResult>> {
  try {
    await requireActor('viewer')
    const parsed = testConnectionInputSchema.parse(input)
    // A saved cluster any user may test; typed-in addresses make this server connect wherever they point, which
    // is for the admins who may add clusters.
    if (!('clusterId' in parsed)) await requireActor('admin')
    return { ok: true, data: await testClusterConnection(parsed) }
  } catch (err) {
    return actionFailure(err, 'testConnectionAction')
  }
}
