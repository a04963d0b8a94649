'use server'
// Server actions of the Clusters page: add and remove a cluster connection (audited), and test one. Each parses
// its input with zod, calls one lib function and returns an ActionResult; credentials are never sent back.
import { revalidatePath } from 'next/cache'
import { actionFailure, type ActionResult } from '@/app/action-result'
import { runAudited } from '@/lib/audit/run-audited'
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

const ACTOR = 'console'

export async function addClusterAction(input: unknown): Promise<ActionResult<ClusterConnectionView>> {
  try {
    const parsed = clusterConnectionInputSchema.parse(input)
    const view = await runAudited(
      {
        actor: ACTOR,
        action: 'cluster.addConnection',
        targetType: 'cluster',
        targetId: parsed.id,
        cluster: parsed.id,
        // The secret stays out of the audit log too: only whether one was given.
        request: {
          id: parsed.id,
          name: parsed.name,
          namesrvAddrs: parsed.namesrvAddrs,
          readOnly: parsed.readOnly,
          credentials: Boolean(parsed.accessKey && parsed.secretKey),
        },
      },
      () => addClusterConnection(parsed),
    )
    // The header's cluster switcher is rendered by the root layout.
    revalidatePath('/', 'layout')
    return { ok: true, data: view }
  } catch (err) {
    return actionFailure(err, 'addClusterAction')
  }
}

export async function removeClusterAction(id: unknown): Promise<ActionResult<{ id: string }>> {
  try {
    const parsed = clusterIdSchema.parse(id)
    await runAudited(
      {
        actor: ACTOR,
        action: 'cluster.removeConnection',
        targetType: 'cluster',
        targetId: parsed,
        cluster: parsed,
        request: { id: parsed },
      },
      () => removeClusterConnection(parsed),
    )
    revalidatePath('/', 'layout')
    return { ok: true, data: { id: parsed } }
  } catch (err) {
    return actionFailure(err, 'removeClusterAction')
  }
}

export async function testConnectionAction(input: unknown): Promise<ActionResult<TestConnectionResult>> {
  try {
    return { ok: true, data: await testClusterConnection(testConnectionInputSchema.parse(input)) }
  } catch (err) {
    return actionFailure(err, 'testConnectionAction')
  }
}
