// The mutation scaffolding the topic and group admin services share: one admin-only runMutation against a
// console cluster that counts as done only when a broker applied it, then drops the cluster's cached lists.
import 'server-only'
import type { z } from 'zod'
import type { Actor } from '@/lib/auth/session'
import type { MutationOutcome, PartialResult } from '@/lib/cluster/gateway'
import { runMutation, type MutationResult } from '@/lib/mutations/run-mutation'
import type { ConsoleContext } from './console-context'
import { appliedSomewhere, parseInput, summarizeOutcome } from './admin-input'
import { invalidateSnapshots } from './snapshot-cache'

export type BrokerMutationResult = MutationResult<PartialResult<MutationOutcome>>

export interface BrokerMutationSpec {
  /** Verb-noun, e.g. 'topic.create'. */
  readonly action: string
  readonly targetType: 'topic' | 'group'
  readonly targetId: string
  readonly idempotencyKey: string
  /** The audit row's request summary. */
  readonly request: Readonly<Record<string, unknown>>
  /** What the error says was not applied, e.g. "creating topic T". */
  readonly what: string
  /** Checks, then the gateway call; runs once per idempotency key. */
  readonly run: () => Promise<PartialResult<MutationOutcome>>
}

/** Runs an admin mutation of the console's cluster (SERVICE_UNAVAILABLE when no broker applied it). */
export async function runBrokerMutation(
  actor: Actor,
  ctx: ConsoleContext,
  spec: BrokerMutationSpec,
): Promise<BrokerMutationResult> {
  const result = await runMutation(actor, {
    action: spec.action,
    minRole: 'admin',
    cluster: ctx.cluster,
    targetType: spec.targetType,
    targetId: spec.targetId,
    idempotencyKey: spec.idempotencyKey,
    request: spec.request,
    run: async () => appliedSomewhere(await spec.run(), spec.what),
    summarize: summarizeOutcome,
  })
  // Even a replay: the lists may still hold the state from before the first run.
  invalidateSnapshots(ctx.cluster)
  return result
}

/** An admin service `(actor, ctx, input)`: parses `input` with `schema` (VALIDATION_FAILED first), then runs `plan`. */
export function brokerMutationService<S extends z.ZodType>(
  schema: S,
  plan: (v: z.output<S>, ctx: ConsoleContext) => BrokerMutationSpec,
): (actor: Actor, ctx: ConsoleContext, input: unknown) => Promise<BrokerMutationResult> {
  return async (actor, ctx, input) => runBrokerMutation(actor, ctx, plan(parseInput(schema, input), ctx))
}
