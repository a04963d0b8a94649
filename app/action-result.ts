// The result shape every server action returns, and the one conversion from an error to its failure branch.
// Stack traces and internal details never reach the browser.
import 'server-only'
import { toAppError, type ErrorCode, type FieldErrors } from '@/lib/errors'

export type ActionError = { code: ErrorCode; message: string; fieldErrors: FieldErrors }

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError }

/** Maps `err` with toAppError(); unexpected (INTERNAL) errors are logged on the server with `context`. */
export function actionFailure(err: unknown, context: string): { ok: false; error: ActionError } {
  const appError = toAppError(err)
  if (appError.code === 'INTERNAL') console.error(`[mqdeck] ${context} failed`, appError.cause ?? err)
  return {
    ok: false,
    error: { code: appError.code, message: appError.message, fieldErrors: appError.fieldErrors ?? {} },
  }
}
