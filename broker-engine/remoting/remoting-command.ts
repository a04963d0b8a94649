// A RemotingCommand (PROTOCOL.md 1): the header fields every frame carries, its custom header (extFields, all
// strings) and its body. Requests and responses share the shape; flag bit 0 marks a response, bit 1 a oneway.

import { ENGINE_REMOTING_VERSION } from './remoting-codes'

export const FLAG_RESPONSE = 1
export const FLAG_ONEWAY = 2

/** 0 = JSON header, 1 = ROCKETMQ binary header. */
export type SerializeType = 0 | 1

export type ExtFields = Readonly<Record<string, string>>

export interface RemotingCommand {
  readonly code: number
  /** LanguageCode name, e.g. JAVA. */
  readonly language: string
  readonly version: number
  readonly opaque: number
  readonly flag: number
  readonly remark: string | undefined
  /** The custom header; undefined when the frame had none (Java omits it when no field is set). */
  readonly extFields: ExtFields | undefined
  /** undefined = a null body (Java tells null from empty). */
  readonly body: Buffer | undefined
  readonly serializeType: SerializeType
}

export function isResponse(cmd: RemotingCommand): boolean {
  return (cmd.flag & FLAG_RESPONSE) !== 0
}

export function isOneway(cmd: RemotingCommand): boolean {
  return (cmd.flag & FLAG_ONEWAY) !== 0
}

/** An extFields value, or undefined. */
export function extField(cmd: RemotingCommand, name: string): string | undefined {
  return cmd.extFields?.[name]
}

export interface CommandParts {
  readonly remark?: string
  readonly extFields?: ExtFields
  readonly body?: Buffer
}

/** A request from this engine (opaque is filled in by the connection that sends it). */
export function createRequest(
  code: number,
  parts: CommandParts & { readonly oneway?: boolean; readonly serializeType?: SerializeType } = {},
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: ENGINE_REMOTING_VERSION,
    opaque: 0,
    flag: parts.oneway ? FLAG_ONEWAY : 0,
    remark: parts.remark,
    extFields: parts.extFields,
    body: parts.body,
    serializeType: parts.serializeType ?? 0,
  }
}

/**
 * The response to `request`: same opaque, the response flag, and the request's header type (the captured 4.9.4
 * servers answer a binary-header request with a binary header and a JSON one with JSON).
 */
export function createResponse(
  request: RemotingCommand,
  code: number,
  parts: CommandParts = {},
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: ENGINE_REMOTING_VERSION,
    opaque: request.opaque,
    flag: FLAG_RESPONSE,
    remark: parts.remark,
    extFields: parts.extFields,
    body: parts.body,
    serializeType: request.serializeType,
  }
}
