'use server'
// Server actions of the topic admin dialogs: create, update, delete (with its impact preview) and send a test
// message. Each checks the session's role first, then runs the lib service (zod → runMutation) and returns an
// ActionResult; the lib refuses again, so a forged call without the button gets FORBIDDEN all the same.
import { z } from 'zod'
import { actionFailure, type ActionResult } from '@/app/action-result'
import { requireActor } from '@/lib/auth/session'
import type { MutationOutcome, PartialResult, SendOutcome } from '@/lib/cluster/gateway'
import { consoleContext } from '@/lib/console/console-context'
import { sendTestMessage } from '@/lib/console/send-message'
import {
  createTopic,
  deleteTopic,
  topicDeleteImpact,
  updateTopic,
  type TopicDeleteImpact,
} from '@/lib/console/topic-admin'

const clusterId = z.string().min(1).max(128)

export interface MutationReply<O> {
  readonly outcome: O
  /** The same intent was already done: this is its stored outcome. */
  readonly replayed: boolean
  readonly auditId: number
}

export async function createTopicAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<MutationReply<PartialResult<MutationOutcome>>>> {
  try {
    const actor = await requireActor('admin')
    return { ok: true, data: await createTopic(actor, await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'createTopicAction')
  }
}

export async function updateTopicAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<MutationReply<PartialResult<MutationOutcome>>>> {
  try {
    const actor = await requireActor('admin')
    return { ok: true, data: await updateTopic(actor, await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'updateTopicAction')
  }
}

export async function deleteTopicAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<MutationReply<PartialResult<MutationOutcome>>>> {
  try {
    const actor = await requireActor('admin')
    return { ok: true, data: await deleteTopic(actor, await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'deleteTopicAction')
  }
}

export async function topicImpactAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<TopicDeleteImpact>> {
  try {
    await requireActor('admin')
    return { ok: true, data: await topicDeleteImpact(await consoleContext(clusterId.parse(cluster)), input) }
  } catch (err) {
    return actionFailure(err, 'topicImpactAction')
  }
}

export async function sendTestMessageAction(
  cluster: unknown,
  input: unknown,
): Promise<ActionResult<MutationReply<SendOutcome>>> {
  try {
    const actor = await requireActor('operator')
    return {
      ok: true,
      data: await sendTestMessage(actor, await consoleContext(clusterId.parse(cluster)), input),
    }
  } catch (err) {
    return actionFailure(err, 'sendTestMessageAction')
  }
}
