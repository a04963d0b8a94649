// The one path every mutation takes: role check → read-only cluster check → one transaction that writes the
// audit row (PENDING) and claims the idempotency key → run → complete both (SUCCEEDED with the outcome, or FAILED
// with the error). If the audit row cannot be written, nothing runs. Decisions (docs in the report/closing note):
// - refusals (role, read-only cluster, key conflicts) are audited as FAILED rows: who tried what is the point;
// - a repeat of a SUCCEEDED key returns the stored outcome and writes its own SUCCEEDED row with replayed = true;
// - a repeat of a FAILED key runs again (the form keeps its key after a failure, so "try again" after fixing the
//   cause works); a concurrent retry still runs once because the FAILED → PENDING re-claim is conditional;
// - a repeat of a PENDING key is CONFLICT "still in progress"; of an UNKNOWN one (the console stopped while it
//   ran) CONFLICT too, since nobody knows whether it acted.
import 'server-only'
import { z } from 'zod'
import { roleAllows, type Role } from '@/lib/auth/roles'
import { getClusterConnection } from '@/lib/cluster/registry'
import { db as defaultDb, OperationResult, type Db, type IdempotencyKey } from '@/lib/db'
import { AppError, toAppError } from '@/lib/errors'
import { requestHash } from '@/lib/idempotency/request-hash'

/** A mutation key is claimed for 24 h: long enough for any retry, short enough to keep the table small. */
export const MUTATION_KEY_TTL_MS = 24 * 60 * 60 * 1000
/**
 * UUIDs and similar tokens. No ':' — runOnce keys are `scope:businessKey`, so the two can never collide in the
 * shared table.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/

/** For server actions: the form's idempotency key, validated like runMutation does. */
export const idempotencyKeySchema = z
  .string({ error: 'an idempotency key is needed' })
  .regex(IDEMPOTENCY_KEY_PATTERN, '8–128 letters, digits, - or _')
/** A result summary larger than this is stored as a size note instead (the audit log is not a data store). */
const RESULT_JSON_MAX_CHARS = 8_000
/** Claim attempts when the key vanishes or expires between our insert and our read (purge races). */
const CLAIM_ATTEMPTS = 3

/** Who acts: lib/auth/session.ts's Actor satisfies this. */
export interface MutationActor {
  readonly username: string
  readonly role: Role
}

export interface MutationSpec<O> {
  /** Verb-noun, e.g. 'dlq.resend', 'offset.reset', 'topic.delete'. */
  readonly action: string
  readonly minRole: Role
  /** A read-only cluster refuses (FORBIDDEN) before anything runs. */
  readonly cluster?: string
  readonly targetType: string
  readonly targetId?: string
  /** One per user intent (the UI generates it), 8..128 of [A-Za-z0-9_-]. */
  readonly idempotencyKey: string
  /** Small JSON summary of what was asked (no secrets, no message bodies). */
  readonly request: Readonly<Record<string, unknown>>
  /** O must be JSON-serialisable: a replay returns the stored copy. */
  readonly run: () => Promise<O>
  /** The audit row's result summary; default: the outcome itself when small. */
  readonly summarize?: (outcome: O) => Readonly<Record<string, unknown>>
}

export interface MutationResult<O> {
  readonly outcome: O
  readonly replayed: boolean
  readonly auditId: number
}

export interface RunMutationOptions {
  /** Default: the process-wide client (lib/db.ts). */
  readonly db?: Db
}

type AuditBase = {
  actor: string
  action: string
  targetType: string
  targetId: string | null
  cluster: string | null
  requestJson: string
  idempotencyKey: string
}

type Claim = { kind: 'claimed'; auditId: number } | { kind: 'existing'; row: IdempotencyKey }

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002'
}

/** What admitMutation, refuseMutation and recordReplay need of a spec: everything but the work. */
export type MutationHeader = Omit<MutationSpec<unknown>, 'run' | 'summarize'>

function auditBase(actor: MutationActor, spec: MutationHeader): AuditBase {
  return {
    actor: actor.username,
    action: spec.action,
    targetType: spec.targetType,
    targetId: spec.targetId ?? null,
    cluster: spec.cluster ?? null,
    requestJson: JSON.stringify(spec.request),
    idempotencyKey: spec.idempotencyKey,
  }
}

/**
 * runMutation's checks before anything is claimed — a well-formed key, the role, a writable cluster — each refusal
 * audited as a FAILED row. For services that answer some repeats themselves (a DLQ resend job still running in
 * memory) and must refuse first exactly as runMutation would.
 */
export async function admitMutation(
  actor: MutationActor,
  spec: MutationHeader,
  options: RunMutationOptions = {},
): Promise<void> {
  const client = options.db ?? defaultDb()
  if (!IDEMPOTENCY_KEY_PATTERN.test(spec.idempotencyKey)) {
    throw new AppError('VALIDATION_FAILED', 'the idempotency key must be 8–128 letters, digits, - or _', {
      fieldErrors: { idempotencyKey: ['8–128 letters, digits, - or _'] },
    })
  }
  const base = auditBase(actor, spec)
  if (!roleAllows(actor.role, spec.minRole)) {
    throw await refuse(
      client,
      base,
      new AppError(
        'FORBIDDEN',
        `${spec.action} needs the ${spec.minRole} role; ${actor.username} is ${actor.role}`,
      ),
    )
  }
  if (spec.cluster !== undefined) {
    let readOnly: boolean
    try {
      readOnly = (await getClusterConnection(spec.cluster)).readOnly
    } catch (err) {
      throw await refuse(client, base, toAppError(err))
    }
    if (readOnly) {
      throw await refuse(client, base, new AppError('FORBIDDEN', `cluster ${spec.cluster} is read-only`))
    }
  }
}

/** Audits `error` as a refused attempt of `spec` (FAILED row) and returns it, for the caller to throw. */
export async function refuseMutation(
  actor: MutationActor,
  spec: MutationHeader,
  error: AppError,
  options: RunMutationOptions = {},
): Promise<AppError> {
  return refuse(options.db ?? defaultDb(), auditBase(actor, spec), error)
}

/**
 * Audits a repeat the caller answered itself (SUCCEEDED, replayed = true, with `summary` as its result), as
 * runMutation does for the repeats it answers. Throws (an AppError) if the row cannot be written.
 */
export async function recordReplay(
  actor: MutationActor,
  spec: MutationHeader,
  summary: Readonly<Record<string, unknown>>,
  options: RunMutationOptions = {},
): Promise<void> {
  try {
    await (options.db ?? defaultDb()).auditLog.create({
      data: {
        ...auditBase(actor, spec),
        result: OperationResult.SUCCEEDED,
        replayed: true,
        resultJson: JSON.stringify(summary),
        durationMs: 0,
      },
    })
  } catch (err) {
    throw auditWriteFailed(err)
  }
}

/** Runs `spec` as `actor`; errors come back as AppErrors. See the module comment for the repeat rules. */
export async function runMutation<O>(
  actor: MutationActor,
  spec: MutationSpec<O>,
  options: RunMutationOptions = {},
): Promise<MutationResult<O>> {
  const client = options.db ?? defaultDb()
  await admitMutation(actor, spec, options)
  const base = auditBase(actor, spec)

  // The actor is part of the fingerprint: another user replaying someone's key gets CONFLICT, not their result.
  const hash = requestHash({
    action: spec.action,
    cluster: spec.cluster ?? null,
    actor: actor.username,
    request: spec.request,
  })
  const startedAtMs = Date.now()
  const claim = await claimKey(client, base, hash)

  if (claim.kind === 'existing') return repeat(client, base, hash, claim.row, spec, startedAtMs)

  let outcome: O
  try {
    outcome = await spec.run()
  } catch (err) {
    const appError = toAppError(err)
    await complete(client, claim.auditId, spec.idempotencyKey, {
      audit: {
        result: OperationResult.FAILED,
        durationMs: Date.now() - startedAtMs,
        errorCode: appError.code,
        errorMessage: appError.message,
      },
      key: {
        status: OperationResult.FAILED,
        responseJson: JSON.stringify({ error: { code: appError.code, message: appError.message } }),
      },
    })
    throw appError
  }
  await complete(client, claim.auditId, spec.idempotencyKey, {
    audit: {
      result: OperationResult.SUCCEEDED,
      durationMs: Date.now() - startedAtMs,
      resultJson: summaryJson(spec, outcome),
    },
    key: {
      status: OperationResult.SUCCEEDED,
      responseJson: outcome === undefined ? null : JSON.stringify(outcome),
    },
  })
  return { outcome, replayed: false, auditId: claim.auditId }
}

/**
 * Writes the PENDING audit row and claims the key in one transaction, or returns the key's existing row. A FAILED
 * key with the same request is re-claimed (FAILED → PENDING, conditional, so two retries cannot both win).
 */
async function claimKey(client: Db, base: AuditBase, hash: string): Promise<Claim> {
  const key = base.idempotencyKey
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
    const expiresAt = new Date(Date.now() + MUTATION_KEY_TTL_MS)
    try {
      const auditId = await client.$transaction(async (tx) => {
        const row = await tx.auditLog.create({
          data: { ...base, result: OperationResult.PENDING },
          select: { id: true },
        })
        await tx.idempotencyKey.create({
          data: { key, action: base.action, requestHash: hash, status: OperationResult.PENDING, expiresAt },
        })
        return row.id
      })
      return { kind: 'claimed', auditId }
    } catch (err) {
      if (!isUniqueViolation(err)) throw auditWriteFailed(err)
    }

    let existing: IdempotencyKey | null
    try {
      existing = await client.idempotencyKey.findUnique({ where: { key } })
    } catch (err) {
      throw auditWriteFailed(err)
    }
    if (!existing) continue
    if (existing.expiresAt.getTime() <= Date.now()) {
      // Expired but not purged yet: it protects nothing any more; drop it (if unchanged) and claim afresh.
      try {
        await client.idempotencyKey.deleteMany({ where: { key, expiresAt: existing.expiresAt } })
      } catch (err) {
        throw auditWriteFailed(err)
      }
      continue
    }
    if (existing.requestHash !== hash || existing.status !== OperationResult.FAILED) {
      return { kind: 'existing', row: existing }
    }
    let reclaimed: number | undefined
    try {
      reclaimed = await client.$transaction(async (tx) => {
        const { count } = await tx.idempotencyKey.updateMany({
          where: { key, requestHash: hash, status: OperationResult.FAILED },
          data: { status: OperationResult.PENDING, responseJson: null, expiresAt },
        })
        if (count === 0) return undefined
        const row = await tx.auditLog.create({
          data: { ...base, result: OperationResult.PENDING },
          select: { id: true },
        })
        return row.id
      })
    } catch (err) {
      throw auditWriteFailed(err)
    }
    if (reclaimed !== undefined) return { kind: 'claimed', auditId: reclaimed }
    // Someone else re-claimed it between our read and our update: look again.
  }
  throw new AppError('CONFLICT', 'this idempotency key is busy; try again')
}

function auditWriteFailed(err: unknown): AppError {
  console.error('[mqdeck] audit write failed; the operation did not run', err)
  return toAppError(err)
}

/** A repeated key: replay a success, refuse anything else. */
async function repeat<O>(
  client: Db,
  base: AuditBase,
  hash: string,
  row: IdempotencyKey,
  spec: MutationSpec<O>,
  startedAtMs: number,
): Promise<MutationResult<O>> {
  if (row.requestHash !== hash) {
    throw await refuse(
      client,
      base,
      new AppError('CONFLICT', 'this idempotency key was used for a different request'),
    )
  }
  if (row.status === OperationResult.PENDING) {
    throw await refuse(client, base, new AppError('CONFLICT', `${spec.action} is still in progress`))
  }
  if (row.status !== OperationResult.SUCCEEDED) {
    throw await refuse(
      client,
      base,
      new AppError(
        'CONFLICT',
        `the earlier ${spec.action} with this key has an unknown outcome (the console stopped while it ran); ` +
          'check the audit log, then start a new request',
      ),
    )
  }
  const outcome = (row.responseJson === null ? undefined : JSON.parse(row.responseJson)) as O
  let auditId: number
  try {
    const audit = await client.auditLog.create({
      data: {
        ...base,
        result: OperationResult.SUCCEEDED,
        replayed: true,
        resultJson: summaryJson(spec, outcome),
        durationMs: Date.now() - startedAtMs,
      },
      select: { id: true },
    })
    auditId = audit.id
  } catch (err) {
    throw auditWriteFailed(err)
  }
  return { outcome, replayed: true, auditId }
}

/** Records a refused attempt as a FAILED row (best effort: the refusal stands even if the row cannot be written). */
async function refuse(client: Db, base: AuditBase, error: AppError): Promise<AppError> {
  try {
    await client.auditLog.create({
      data: {
        ...base,
        result: OperationResult.FAILED,
        errorCode: error.code,
        errorMessage: error.message,
        durationMs: 0,
      },
    })
  } catch (err) {
    console.error(`[mqdeck] could not audit a refused ${base.action}`, err)
  }
  return error
}

function summaryJson<O>(spec: MutationSpec<O>, outcome: O): string | null {
  try {
    const summary = spec.summarize ? spec.summarize(outcome) : outcome
    if (summary === undefined) return null
    const json = JSON.stringify(summary)
    return json.length <= RESULT_JSON_MAX_CHARS
      ? json
      : JSON.stringify({ truncated: true, chars: json.length })
  } catch (err) {
    console.error(`[mqdeck] could not summarize the outcome of ${spec.action}`, err)
    return null
  }
}

/**
 * Completes the audit row and the key together. A failure here leaves both PENDING (UNKNOWN after the next
 * start, and the key answers "in progress" until then); the operation's own outcome still stands.
 */
async function complete(
  client: Db,
  auditId: number,
  key: string,
  data: {
    audit: {
      result: OperationResult
      durationMs: number
      resultJson?: string | null
      errorCode?: string
      errorMessage?: string
    }
    key: { status: OperationResult; responseJson: string | null }
  },
): Promise<void> {
  try {
    await client.$transaction([
      client.auditLog.update({ where: { id: auditId }, data: data.audit }),
      client.idempotencyKey.update({ where: { key }, data: data.key }),
    ])
  } catch (err) {
    console.error(`[mqdeck] could not complete audit row ${auditId}; it stays PENDING`, err)
  }
}
