// What the console's admin services share: the idempotency key every mutation carries, the "type the name to
// confirm" check, and turning a mutation that reached no broker into an error (a PartialResult alone would
// record it as SUCCEEDED).
import 'server-only'
import { z } from 'zod'
import type { MutationOutcome, PartialResult } from '@/lib/cluster/gateway'
import { brokerName } from '@/lib/cluster/gateway-schemas'
import { AppError, toAppError } from '@/lib/errors'
import { IDEMPOTENCY_KEY_PATTERN } from '@/lib/mutations/run-mutation'

/** One per user intent: the UI generates it when a dialog opens (runMutation's pattern). */
export const idempotencyKeySchema = z
  .string({ error: 'an idempotency key is needed' })
  .regex(IDEMPOTENCY_KEY_PATTERN, 'the idempotency key is 8–128 letters, digits, - or _')

/** A whole number field from a form; NaN (an empty input) gets a readable message, not "expected number". */
export function wholeNumber(label: string, min: number, max: number) {
  return z
    .number({ error: `${label} is a whole number` })
    .int(`${label} is a whole number`)
    .min(min, `${label} is at least ${min}`)
    .max(max, `${label} is at most ${max}`)
}

/**
 * The server repeats the dialog's "type the name" check, so a forged request cannot skip it. Goes in a schema's
 * superRefine: the field error lands on `confirm`.
 */
export function checkConfirmation(
  value: { readonly confirm: string },
  name: string,
  ctx: z.RefinementCtx,
): void {
  if (value.confirm.trim() !== name) {
    ctx.addIssue({ code: 'custom', path: ['confirm'], message: `type ${name} to confirm` })
  }
}

/** Where a create goes: every master of this cluster, or these brokers' masters; neither: the only cluster's. */
export const placementFields = {
  clusterName: z.string().trim().max(255).optional(),
  brokerNames: z.array(brokerName).max(256).optional(),
}

/** A create schema's transform: an empty cluster or broker list means "not given". */
export function normalizePlacement<V extends { clusterName?: string; brokerNames?: string[] }>(
  v: V,
): V & { clusterName: string | undefined; brokerNames: string[] | undefined } {
  return {
    ...v,
    clusterName: v.clusterName === '' ? undefined : v.clusterName,
    brokerNames: v.brokerNames?.length ? v.brokerNames : undefined,
  }
}

/** A create schema's refine: a cluster or brokers, not both (ONE_PLACEMENT_ERROR lands on brokerNames). */
export function onePlacement(v: { clusterName?: string; brokerNames?: string[] }): boolean {
  return !(v.clusterName && v.brokerNames)
}

export const ONE_PLACEMENT_ERROR = { message: 'give a cluster or brokers, not both', path: ['brokerNames'] }

/** The outcome when at least one broker applied the change; SERVICE_UNAVAILABLE (naming why) when none did. */
export function appliedSomewhere(
  result: PartialResult<MutationOutcome>,
  what: string,
): PartialResult<MutationOutcome> {
  if (result.data.brokerNames.length > 0) return result
  const reasons = result.failures.map((f) => `${f.broker}: ${f.reason}`).join('; ')
  throw new AppError(
    'SERVICE_UNAVAILABLE',
    `${what} was not applied on any broker${reasons ? ` (${reasons})` : ''}`,
    {
      details: { failures: result.failures },
    },
  )
}

/** The audit row's result summary of a broker mutation. */
export function summarizeOutcome(outcome: PartialResult<MutationOutcome>): Record<string, unknown> {
  return {
    brokerNames: outcome.data.brokerNames,
    ...(outcome.partial ? { failedBrokers: outcome.failures.map((f) => f.broker) } : {}),
  }
}

/** Parses a service's input; a zod failure becomes VALIDATION_FAILED with field errors, like every lib error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw toAppError(parsed.error)
  return parsed.data
}
