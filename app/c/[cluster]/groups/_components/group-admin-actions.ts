'use server'
// Server actions of the consumer group admin dialogs: create, update, delete (with its impact preview). Each
// checks the session's role, runs the lib service (zod → runMutation) and returns an ActionResult.
import { z } from 'zod'
import { actionFailure, type ActionResult } from '@/app/action-result'
import { requireActor } from '@/lib/auth/session'
import type { MutationOutcome, PartialResult } from '@/lib/cluster/gateway'
import { consoleContext } from '@/lib/console/console-context'
import {
  createGroup,
  deleteGroup,
  groupDeleteImpact,
  updateGroup,
  type GroupDeleteImpact,
} from '@/lib/console/group-admin'

const clusterId = z.string().min(1).max(128)

export interface GroupMutationReply {
  readonly outcome: PartialResult<MutationOutcome>
  readonly replayed: boolean
  readonly auditId: number
}

export async function createGroupAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<GroupMutationReply>> {
  try {
    const actor = await requireActor('admin')
    return { ok: true, data: await createGroup(actor, await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'createGroupAction')
  }
}

export async function updateGroupAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<GroupMutationReply>> {
  try {
    const actor = await requireActor('admin')
    return { ok: true, data: await updateGroup(actor, await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'updateGroupAction')
  }
}

export async function deleteGroupAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<GroupMutationReply>> {
  try {
    const actor = await requireActor('admin')
    return { ok: true, data: await deleteGroup(actor, await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'deleteGroupAction')
  }
}

export async function groupImpactAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<GroupDeleteImpact>> {
  try {
    await requireActor('admin')
    return { ok: true, data: await groupDeleteImpact(await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'groupImpactAction')
  }
}
