// JSON error responses for route handlers: the AppError's code, message and field errors with its HTTP status.
import 'server-only'
import { HTTP_STATUS_OF, toAppError } from '@/lib/errors'

export function errorResponse(err: unknown, context: string): Response {
  const appError = toAppError(err)
  if (appError.code === 'INTERNAL') console.error(`[mqdeck] ${context} failed`, appError.cause ?? err)
  const { code, message, fieldErrors } = appError
  return Response.json(
    { error: { code, message, fieldErrors: fieldErrors ?? {} } },
    { status: HTTP_STATUS_OF[code], headers: { 'cache-control': 'no-store' } },
  )
}
