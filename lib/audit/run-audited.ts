// Runs a mutating operation under an audit row: the row is written as PENDING before the operation starts
// (if that write fails, the operation does not run), then marked SUCCEEDED or FAILED with its duration.
import 'server-only'
import { db, OperationResult } from '@/lib/db'
import { toAppError } from '@/lib/errors'

export interface AuditedOperation {
  /** Who asked; 'console' until authentication lands. */
  readonly actor: string
  /** Verb-noun name of the operation, e.g. 'store.sendTestMessage'. */
  readonly action: string
  readonly targetType: string
  readonly targetId?: string
  readonly cluster?: string
  /** What was asked, small and JSON-serializable (summaries, not message bodies). */
  readonly request: Readonly<Record<string, unknown>>
}

/** Runs `operation` audited; its errors come back as AppErrors (see lib/errors.ts). */
export async function runAudited<T>(audit: AuditedOperation, operation: () => Promise<T>): Promise<T> {
  const startedAtMs = Date.now()
  let auditId: number
  try {
    const row = await db().auditLog.create({
      data: {
        actor: audit.actor,
        action: audit.action,
        targetType: audit.targetType,
        targetId: audit.targetId ?? null,
        cluster: audit.cluster ?? null,
        requestJson: JSON.stringify(audit.request),
        result: OperationResult.PENDING,
      },
      select: { id: true },
    })
    auditId = row.id
  } catch (err) {
    console.error('[mqdeck] audit write failed; operation not run', err)
    throw toAppError(err)
  }

  try {
    const value = await operation()
    await finishAudit(auditId, { result: OperationResult.SUCCEEDED, durationMs: Date.now() - startedAtMs })
    return value
  } catch (err) {
    const appError = toAppError(err)
    await finishAudit(auditId, {
      result: OperationResult.FAILED,
      durationMs: Date.now() - startedAtMs,
      errorCode: appError.code,
      errorMessage: appError.message,
    })
    throw appError
  }
}

/**
 * Marks the row's outcome. A failure here leaves the row PENDING, which becomes UNKNOWN at the next start for
 * review; the operation's own outcome is still returned, because it already happened.
 */
async function finishAudit(
  auditId: number,
  data: { result: OperationResult; durationMs: number; errorCode?: string; errorMessage?: string },
): Promise<void> {
  try {
    await db().auditLog.update({ where: { id: auditId }, data })
  } catch (err) {
    console.error(`[mqdeck] could not finish audit row ${auditId}; it stays PENDING`, err)
  }
}
