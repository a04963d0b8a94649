// Reading a request's custom header (extFields, all strings once decoded) the way a Java broker's reflection does:
// integers and longs as plain decimals, booleans as "true"/anything else, missing optional fields as undefined.
// A field that is missing where it is needed, or not a number, fails the request with a remark naming it.

import { EngineError } from '../../common/engine-error'
import { RESPONSE_CODE } from '../remoting-codes'
import { createResponse, type RemotingCommand } from '../remoting-command'
import type { RequestHandler } from '../remoting-connection'

/** A request the broker cannot act on; answered with `code` (SYSTEM_ERROR, as Java's header decoding fails). */
export class RequestFieldError extends Error {
  constructor(
    message: string,
    readonly code: number = RESPONSE_CODE.SYSTEM_ERROR,
  ) {
    super(message)
    this.name = 'RequestFieldError'
  }
}

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff

/**
 * A plain decimal integer (optional minus, digits only, as Java's Long.parseLong accepts), else NaN. Written as
 * a loop because it runs for every field of every send.
 */
export function parseDecimal(text: string): number {
  const length = text.length
  if (length === 0 || length > 20) return NaN
  let i = text.charCodeAt(0) === 45 ? 1 : 0
  if (i === length) return NaN
  let value = 0
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return NaN
    value = value * 10 + digit
  }
  return text.charCodeAt(0) === 45 ? -value : value
}

function describe(name: string, label: string | undefined): string {
  return label ? `${name} (${label})` : name
}

export function optionalString(request: RemotingCommand, name: string): string | undefined {
  const value = request.extFields?.[name]
  return value === undefined || value.length === 0 ? undefined : value
}

export function requiredString(request: RemotingCommand, name: string, label?: string): string {
  const value = request.extFields?.[name]
  if (value === undefined || value.length === 0)
    throw new RequestFieldError(`the header field ${describe(name, label)} is missing`)
  return value
}

export function optionalInt32(request: RemotingCommand, name: string, label?: string): number | undefined {
  const text = request.extFields?.[name]
  if (text === undefined) return undefined
  const value = parseDecimal(text)
  if (!(value >= INT32_MIN && value <= INT32_MAX))
    throw new RequestFieldError(`the header field ${describe(name, label)} is not a 32-bit integer: ${text}`)
  return value
}

export function requiredInt32(request: RemotingCommand, name: string, label?: string): number {
  const value = optionalInt32(request, name, label)
  if (value === undefined) throw new RequestFieldError(`the header field ${describe(name, label)} is missing`)
  return value
}

/** A Java long that fits a JS number exactly; `clampAboveSafe` maps Long.MAX_VALUE-like bounds to 2^53 - 1. */
export function optionalLong(
  request: RemotingCommand,
  name: string,
  label?: string,
  clampAboveSafe = false,
): number | undefined {
  const text = request.extFields?.[name]
  if (text === undefined) return undefined
  const value = parseDecimal(text)
  if (Number.isSafeInteger(value)) return value
  if (clampAboveSafe && value > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER
  throw new RequestFieldError(
    `the header field ${describe(name, label)} is not a 64-bit integer this broker can hold: ${text}`,
  )
}

export function requiredLong(
  request: RemotingCommand,
  name: string,
  label?: string,
  clampAboveSafe = false,
): number {
  const value = optionalLong(request, name, label, clampAboveSafe)
  if (value === undefined) throw new RequestFieldError(`the header field ${describe(name, label)} is missing`)
  return value
}

/** Java's Boolean.parseBoolean: "true" (any case) is true, anything else false; undefined when absent. */
export function optionalBoolean(request: RemotingCommand, name: string): boolean | undefined {
  const text = request.extFields?.[name]
  if (text === undefined) return undefined
  return text.length === 4 && text.toLowerCase() === 'true'
}

export function errorResponse(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponse(request, code, { remark, extFields: {} })
}

/**
 * Answers the request-level failures of a handler (a bad header field, an engine refusal of a name) with an
 * error response instead of letting them reach the connection's catch-all. Only synchronous throws are caught:
 * the hot paths return their promise untouched.
 */
export function guarded(handler: RequestHandler): RequestHandler {
  return (request, connection) => {
    try {
      return handler(request, connection)
    } catch (err) {
      if (err instanceof RequestFieldError) return errorResponse(request, err.code, err.message)
      if (err instanceof EngineError) return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, err.message)
      throw err
    }
  }
}
