// Reading a request's custom header (extFields, all strings once decoded) the way a Java server's reflection does:
// integers and longs as plain decimals, booleans as "true"/anything else, absent optional fields as undefined.
// One set of readers serves every processor; each processor family words a field it cannot use its own way
// (FieldRemarks), and a refusal is thrown as a RequestError that request-guard.ts turns into the response.

import { validateGroupName, validateTopicName } from '../broker/topic-validator'
import { RESPONSE_CODE } from './remoting-codes'
import type { RemotingCommand } from './remoting-command'

/** A request the processor refuses: `code` and the message become the response's code and remark. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: number = RESPONSE_CODE.SYSTEM_ERROR,
  ) {
    super(message)
    this.name = 'RequestError'
  }
}

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff
const MINUS = 45
const DIGIT_0 = 48

/**
 * A plain decimal integer (optional minus, digits only), else NaN. Written as a loop because it runs for every
 * field of every send. Unlike Java's parseLong it refuses a leading '+', which no RocketMQ client writes.
 */
export function parseDecimal(text: string): number {
  const length = text.length
  if (length === 0 || length > 20) return NaN
  const negative = text.charCodeAt(0) === MINUS
  let i = negative ? 1 : 0
  if (i === length) return NaN
  let value = 0
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0
    if (digit < 0 || digit > 9) return NaN
    value = value * 10 + digit
  }
  return negative ? -value : value
}

/**
 * How a processor family words a header field it cannot use. `field` is the field's name, followed by its
 * readable label in parentheses where the wire name is a letter (SEND_MESSAGE_V2's `b (topic)`).
 */
export interface FieldRemarks {
  missing(field: string): string
  notInt32(field: string, text: string): string
  notLong(field: string, text: string): string
}

/** A long value shortened for a remark. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)
}

/**
 * The NameServer and admin processors' words: RocketMQ's RemotingCommand.decodeCommandCustomHeader remark for a
 * missing field, and the same form for a malformed number (which Java only logs, leaving the field unset).
 * mqadmin and the dashboard show them as they are.
 */
export const CUSTOM_FIELD_REMARKS: FieldRemarks = {
  missing: (field) => `the custom field <${field}> is null`,
  notInt32: (field, text) => `the custom field <${field}> must be a 32-bit integer; got ${shown(text)}`,
  notLong: (field, text) =>
    `the custom field <${field}> must be an integer of at most 2^53; got ${shown(text)}`,
}

/** The client processors' words (send, pull, offsets, transactions), which name the V1 field behind a V2 letter. */
export const HEADER_FIELD_REMARKS: FieldRemarks = {
  missing: (field) => `the header field ${field} is missing`,
  notInt32: (field, text) => `the header field ${field} is not a 32-bit integer: ${text}`,
  notLong: (field, text) => `the header field ${field} is not a 64-bit integer this broker can hold: ${text}`,
}

/** The header readers, each throwing a RequestError worded by one FieldRemarks. */
export interface FieldReaders {
  /** The field as sent, '' included (Java: only a null field is missing). */
  readonly requiredString: (request: RemotingCommand, name: string, label?: string) => string
  /** The field, where '' counts as missing too (the client processors' topic, group and client id). */
  readonly requiredNonEmpty: (request: RemotingCommand, name: string, label?: string) => string
  /** The field, or undefined when absent or ''. */
  readonly optionalString: (request: RemotingCommand, name: string) => string | undefined
  /** The field, or undefined when absent or blank (Java's StringUtils.isBlank checks of the admin requests). */
  readonly optionalNonBlank: (request: RemotingCommand, name: string) => string | undefined
  readonly requiredInt32: (request: RemotingCommand, name: string, label?: string) => number
  readonly optionalInt32: (request: RemotingCommand, name: string, label?: string) => number | undefined
  /** A Java long that fits a JS number exactly; `clampAboveSafe` maps Long.MAX_VALUE-like bounds to 2^53 - 1. */
  readonly requiredLong: (
    request: RemotingCommand,
    name: string,
    label?: string,
    clampAboveSafe?: boolean,
  ) => number
  readonly optionalLong: (
    request: RemotingCommand,
    name: string,
    label?: string,
    clampAboveSafe?: boolean,
  ) => number | undefined
  /** Java's Boolean.parseBoolean: "true" (any case) is true, anything else false; undefined when absent. */
  readonly optionalBoolean: (request: RemotingCommand, name: string) => boolean | undefined
  /** A required field holding a valid topic name; a bad one is INVALID_PARAMETER with the validator's reason. */
  readonly topicField: (request: RemotingCommand, name?: string) => string
  /** A required field holding a valid consumer or producer group name (INVALID_PARAMETER otherwise). */
  readonly groupField: (request: RemotingCommand, name: string) => string
}

export function fieldReaders(remarks: FieldRemarks): FieldReaders {
  const describe = (name: string, label: string | undefined): string => (label ? `${name} (${label})` : name)

  const requiredString = (request: RemotingCommand, name: string, label?: string): string => {
    const value = request.extFields?.[name]
    if (value === undefined) throw new RequestError(remarks.missing(describe(name, label)))
    return value
  }

  const optionalInt32 = (request: RemotingCommand, name: string, label?: string): number | undefined => {
    const text = request.extFields?.[name]
    if (text === undefined) return undefined
    const value = parseDecimal(text)
    if (!(value >= INT32_MIN && value <= INT32_MAX))
      throw new RequestError(remarks.notInt32(describe(name, label), text))
    return value
  }

  const optionalLong = (
    request: RemotingCommand,
    name: string,
    label?: string,
    clampAboveSafe = false,
  ): number | undefined => {
    const text = request.extFields?.[name]
    if (text === undefined) return undefined
    const value = parseDecimal(text)
    if (Number.isSafeInteger(value)) return value
    if (clampAboveSafe && value > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER
    throw new RequestError(remarks.notLong(describe(name, label), text))
  }

  const validName = (value: string, reason: string | undefined): string => {
    if (reason) throw new RequestError(reason, RESPONSE_CODE.INVALID_PARAMETER)
    return value
  }

  return {
    requiredString,
    requiredNonEmpty(request, name, label) {
      const value = request.extFields?.[name]
      if (value === undefined || value.length === 0)
        throw new RequestError(remarks.missing(describe(name, label)))
      return value
    },
    optionalString(request, name) {
      const value = request.extFields?.[name]
      return value === undefined || value.length === 0 ? undefined : value
    },
    optionalNonBlank(request, name) {
      const value = request.extFields?.[name]
      return value === undefined || value.trim() === '' ? undefined : value
    },
    requiredInt32(request, name, label) {
      const value = optionalInt32(request, name, label)
      if (value === undefined) throw new RequestError(remarks.missing(describe(name, label)))
      return value
    },
    optionalInt32,
    requiredLong(request, name, label, clampAboveSafe) {
      const value = optionalLong(request, name, label, clampAboveSafe)
      if (value === undefined) throw new RequestError(remarks.missing(describe(name, label)))
      return value
    },
    optionalLong,
    optionalBoolean(request, name) {
      const text = request.extFields?.[name]
      if (text === undefined) return undefined
      return text.length === 4 && text.toLowerCase() === 'true'
    },
    topicField(request, name = 'topic') {
      const topic = requiredString(request, name)
      return validName(topic, validateTopicName(topic))
    },
    groupField(request, name) {
      const group = requiredString(request, name)
      return validName(group, validateGroupName(group))
    },
  }
}

/** The readers of the client processors (PROTOCOL.md 2.2): HEADER_FIELD_REMARKS. */
export const clientFields: FieldReaders = fieldReaders(HEADER_FIELD_REMARKS)

/** The readers of the NameServer and admin processors: RocketMQ's CUSTOM_FIELD_REMARKS. */
export const customFields: FieldReaders = fieldReaders(CUSTOM_FIELD_REMARKS)
