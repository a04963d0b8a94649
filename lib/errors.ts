// The closed set of error codes mqdeck shows to callers, and the one function that maps anything thrown below
// the app layer (zod, Prisma, the engine, a rejected put) to an AppError. Nothing else builds AppErrors.
import 'server-only'
import { ZodError } from 'zod'
import type { EngineError, PutMessageResult, SendErrorCode } from '@/broker-engine/index'
import type { RemoteFailureKind } from '@/lib/cluster/remote/remote-error'

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  /** No valid session: log in. */
  'UNAUTHENTICATED',
  /** Logged in, but the role (or a read-only cluster) does not allow it. */
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'CONFIG_INVALID',
  'STORE_CORRUPT',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** HTTP status of each code, for route handlers. */
export const HTTP_STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SERVICE_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
  STORE_CORRUPT: 500,
  INTERNAL: 500,
}

export type FieldErrors = Readonly<Record<string, readonly string[]>>

/** What a caller sees: a stable code, a message fit for a user, and optional structured details. */
/** Marks an AppError made by any copy of this module (see AppError's Symbol.hasInstance). */
const APP_ERROR_BRAND = Symbol.for('mqdeck.AppError')

export class AppError extends Error {
  /**
   * Next bundles instrumentation.ts apart from the pages and routes, so the embedded gateway (built at start)
   * throws AppErrors of another copy of this class: `instanceof` checks a process-wide brand, not the class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[APP_ERROR_BRAND] === true
    )
  }

  readonly code: ErrorCode
  readonly details: Readonly<Record<string, unknown>> | undefined
  readonly fieldErrors: FieldErrors | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; fieldErrors?: FieldErrors; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    Object.defineProperty(this, APP_ERROR_BRAND, { value: true })
    this.code = code
    this.details = options.details
    this.fieldErrors = options.fieldErrors
  }

  /** The serializable shape that actions and route handlers return; never a stack trace. */
  toJSON(): {
    code: ErrorCode
    message: string
    fieldErrors?: FieldErrors
    details?: Record<string, unknown>
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}),
      ...(this.details ? { details: { ...this.details } } : {}),
    }
  }
}

type EngineErrorCode = EngineError['code']

/**
 * Every engine error code and what it means to a caller. Keyed by the engine's closed code set, so a new
 * engine code fails the typecheck here until it is mapped.
 */
const ENGINE_CODE_TO_APP: Readonly<Record<EngineErrorCode, ErrorCode>> = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  STORE_LOCKED: 'SERVICE_UNAVAILABLE',
  STORE_CORRUPT: 'STORE_CORRUPT',
  STORE_CLOSED: 'SERVICE_UNAVAILABLE',
  TOPIC_INVALID: 'VALIDATION_FAILED',
  QUEUE_ID_INVALID: 'VALIDATION_FAILED',
  OFFSET_OUT_OF_RANGE: 'VALIDATION_FAILED',
  ARGUMENT_INVALID: 'VALIDATION_FAILED',
}

type PutMessageFailed = Exclude<PutMessageResult, { status: 'PUT_OK' | 'FLUSH_DISK_TIMEOUT' }>
type PutMessageFailureStatus = PutMessageFailed['status']

const PUT_STATUS_TO_APP: Readonly<Record<PutMessageFailureStatus, ErrorCode>> = {
  MESSAGE_ILLEGAL: 'VALIDATION_FAILED',
  PROPERTIES_SIZE_EXCEEDED: 'VALIDATION_FAILED',
  SERVICE_NOT_AVAILABLE: 'SERVICE_UNAVAILABLE',
  CREATE_MAPPED_FILE_FAILED: 'SERVICE_UNAVAILABLE',
  OS_PAGE_CACHE_BUSY: 'SERVICE_UNAVAILABLE',
  UNKNOWN_ERROR: 'INTERNAL',
}

/** A broker's refusal of a send (SendMessageResult with status ERROR), by its closed code. */
const SEND_CODE_TO_APP: Readonly<Record<SendErrorCode, ErrorCode>> = {
  TOPIC_NOT_EXIST: 'NOT_FOUND',
  NO_PERMISSION: 'SERVICE_UNAVAILABLE',
  MESSAGE_ILLEGAL: 'VALIDATION_FAILED',
  SERVICE_NOT_AVAILABLE: 'SERVICE_UNAVAILABLE',
  SYSTEM_ERROR: 'INTERNAL',
}

function isSendRefusal(value: unknown): value is { status: 'ERROR'; code: SendErrorCode; reason: string } {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false
  const { status, code, reason } = value as { status?: unknown; code?: unknown; reason?: unknown }
  return (
    status === 'ERROR' &&
    typeof code === 'string' &&
    Object.hasOwn(SEND_CODE_TO_APP, code) &&
    typeof reason === 'string'
  )
}

/**
 * A remote RocketMQ cluster's failure (lib/cluster/remote/remote-error.ts) by its closed kind. Keyed by the kind
 * set, so a new kind fails the typecheck here until it is mapped.
 */
const REMOTE_KIND_TO_APP: Readonly<Record<RemoteFailureKind, ErrorCode>> = {
  UNREACHABLE: 'SERVICE_UNAVAILABLE',
  TIMEOUT: 'SERVICE_UNAVAILABLE',
  NOT_FOUND: 'NOT_FOUND',
  NO_PERMISSION: 'SERVICE_UNAVAILABLE',
  INVALID_REQUEST: 'VALIDATION_FAILED',
  UNSUPPORTED: 'SERVICE_UNAVAILABLE',
  REFUSED: 'SERVICE_UNAVAILABLE',
  BAD_RESPONSE: 'SERVICE_UNAVAILABLE',
}

/** Structural, like engine errors: Next may bundle lib/cluster twice, so `instanceof` is not reliable. */
function isRemoteFailure(
  err: unknown,
): err is Error & { kind: RemoteFailureKind; toDetails?: () => Record<string, unknown> } {
  return (
    err instanceof Error &&
    err.name === 'RemoteClusterError' &&
    typeof (err as { kind?: unknown }).kind === 'string' &&
    Object.hasOwn(REMOTE_KIND_TO_APP, (err as unknown as { kind: string }).kind)
  )
}

/** Prisma's known request errors we map; every other P-code is INTERNAL. By code, never by message text. */
const PRISMA_CODE_TO_APP: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  P2002: { code: 'CONFLICT', message: 'A record with the same unique value already exists.' },
  P2025: { code: 'NOT_FOUND', message: 'The record was not found.' },
}

const INTERNAL_MESSAGE = 'Internal error. The server log has the details.'

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined
  return typeof err.code === 'string' ? err.code : undefined
}

function isEngineErrorCode(code: string): code is EngineErrorCode {
  return Object.hasOwn(ENGINE_CODE_TO_APP, code)
}

function isPutMessageFailed(value: unknown): value is PutMessageFailed {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false
  const { status, reason } = value as { status?: unknown; reason?: unknown }
  return typeof status === 'string' && Object.hasOwn(PUT_STATUS_TO_APP, status) && typeof reason === 'string'
}

/** True for zod errors, including ones from another bundled copy of zod (Next duplicates modules). */
function isZodError(err: unknown): err is ZodError {
  return (
    err instanceof ZodError ||
    (err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues))
  )
}

/** Messages per field path ("topic", "headers.0"); issues without a path go under "_form". */
function fieldErrorsOf(err: ZodError): FieldErrors {
  const fieldErrors: Record<string, string[]> = {}
  for (const issue of err.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form'
    ;(fieldErrors[field] ??= []).push(issue.message)
  }
  return fieldErrors
}

/**
 * Maps anything thrown or returned as a failure below the app layer to an AppError:
 * - an AppError passes through;
 * - a ZodError becomes VALIDATION_FAILED with per-field messages;
 * - a Prisma known request error is mapped by its code (P2002 → CONFLICT, P2025 → NOT_FOUND);
 * - an engine EngineError is mapped by its closed code. Detected structurally (an Error whose `code` is one of
 *   the engine's codes), because Next bundles broker-engine more than once per process and `instanceof`
 *   fails across copies;
 * - a failed PutMessageResult value is mapped by its status;
 * - a remote cluster's RemoteClusterError is mapped by its kind (unreachable, timeout, not found, ...);
 * - anything else is INTERNAL, with a generic message (the original stays in `cause` for the server log).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err

  if (isZodError(err)) {
    const fieldErrors = fieldErrorsOf(err)
    const first = err.issues[0]
    const message = first
      ? `${first.path.length > 0 ? `${first.path.join('.')}: ` : ''}${first.message}`
      : 'Invalid input.'
    return new AppError('VALIDATION_FAILED', message, { fieldErrors, cause: err })
  }

  if (isSendRefusal(err)) {
    return new AppError(
      SEND_CODE_TO_APP[err.code],
      `The broker refused the message (${err.code}): ${err.reason}`,
      {
        details: { sendCode: err.code },
      },
    )
  }

  if (isPutMessageFailed(err)) {
    return new AppError(
      PUT_STATUS_TO_APP[err.status],
      `The store rejected the message (${err.status}): ${err.reason}`,
      {
        details: { putStatus: err.status },
      },
    )
  }

  if (isRemoteFailure(err)) {
    return new AppError(REMOTE_KIND_TO_APP[err.kind], err.message, {
      details: typeof err.toDetails === 'function' ? err.toDetails() : { remoteKind: err.kind },
      cause: err,
    })
  }

  const code = codeOf(err)
  if (err instanceof Error && code !== undefined) {
    if (/^P\d{4}$/.test(code)) {
      const mapped = PRISMA_CODE_TO_APP[code]
      const meta = (err as { meta?: unknown }).meta
      const target =
        typeof meta === 'object' && meta !== null ? (meta as { target?: unknown }).target : undefined
      if (mapped) {
        return new AppError(mapped.code, mapped.message, {
          details: { prismaCode: code, ...(target !== undefined ? { target } : {}) },
          cause: err,
        })
      }
      return new AppError('INTERNAL', INTERNAL_MESSAGE, { details: { prismaCode: code }, cause: err })
    }
    if (isEngineErrorCode(code)) {
      const engineDetails = (err as { details?: unknown }).details
      return new AppError(ENGINE_CODE_TO_APP[code], err.message, {
        details: {
          engineCode: code,
          ...(typeof engineDetails === 'object' && engineDetails !== null ? engineDetails : {}),
        },
        cause: err,
      })
    }
  }

  return new AppError('INTERNAL', INTERNAL_MESSAGE, { cause: err })
}
