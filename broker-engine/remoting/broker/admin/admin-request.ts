// Reading an admin request's custom header (extFields) as a Java broker decodes it: a missing required field or
// an unparseable number is "the custom field <x> is null"-style SYSTEM_ERROR; a bad name is INVALID_PARAMETER.
// The readers throw AdminRequestError, which the registration wrapper turns into that response.

import { RESPONSE_CODE } from '../../remoting-codes'
import { extField, type RemotingCommand } from '../../remoting-command'
import { validateGroupName, validateTopicName } from '../../../broker/topic-validator'

/** A request the broker refuses: `code` and the message become the response's code and remark. */
export class AdminRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
    this.name = 'AdminRequestError'
  }
}

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff

function missing(name: string): AdminRequestError {
  return new AdminRequestError(RESPONSE_CODE.SYSTEM_ERROR, `the custom field <${name}> is null`)
}

function malformed(name: string, expected: string, value: string): AdminRequestError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value
  return new AdminRequestError(
    RESPONSE_CODE.SYSTEM_ERROR,
    `the custom field <${name}> must be ${expected}; got ${JSON.stringify(shown)}`,
  )
}

export function requiredString(request: RemotingCommand, name: string): string {
  const value = extField(request, name)
  if (value === undefined) throw missing(name)
  return value
}

/** The field, or undefined when it is absent or blank (Java's StringUtils.isBlank checks). */
export function optionalString(request: RemotingCommand, name: string): string | undefined {
  const value = extField(request, name)
  return value === undefined || value.trim() === '' ? undefined : value
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
export function requiredInt(request: RemotingCommand, name: string): number {
  return parseInt32(name, requiredString(request, name))
}

export function optionalInt(request: RemotingCommand, name: string): number | undefined {
  const value = extField(request, name)
  return value === undefined ? undefined : parseInt32(name, value)
}

/** Long.parseLong, limited to what a JS number holds exactly (offsets and timestamps are far below 2^53). */
export function requiredLong(request: RemotingCommand, name: string): number {
  return parseLong(name, requiredString(request, name))
}

export function optionalLong(request: RemotingCommand, name: string): number | undefined {
  const value = extField(request, name)
  return value === undefined ? undefined : parseLong(name, value)
}

/** Boolean.parseBoolean: "true" in any case is true, anything else false; absent is `absent`. */
export function optionalBool(request: RemotingCommand, name: string, absent: boolean): boolean {
  const value = extField(request, name)
  return value === undefined ? absent : value.trim().toLowerCase() === 'true'
}

function parseInt32(name: string, value: string): number {
  const n = /^[+-]?\d{1,10}$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw malformed(name, 'a 32-bit integer', value)
  return n
}

function parseLong(name: string, value: string): number {
  const n = /^[+-]?\d{1,16}$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n)) throw malformed(name, 'an integer of at most 2^53', value)
  return n
}

/** A required topic header field holding a valid topic name. */
export function topicField(request: RemotingCommand, name = 'topic'): string {
  const topic = requiredString(request, name)
  const reason = validateTopicName(topic)
  if (reason) throw new AdminRequestError(RESPONSE_CODE.INVALID_PARAMETER, reason)
  return topic
}

/** A required group header field holding a valid consumer or producer group name. */
export function groupField(request: RemotingCommand, name: string): string {
  const group = requiredString(request, name)
  const reason = validateGroupName(group)
  if (reason) throw new AdminRequestError(RESPONSE_CODE.INVALID_PARAMETER, reason)
  return group
}
