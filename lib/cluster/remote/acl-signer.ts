// RocketMQ ACL 1.0 request signing (the client side of AclClientRPCHook): the request carries AccessKey (and
// SecurityToken), and Signature = base64(HMAC-SHA1(secretKey, the ext field values in key order + the body)).
import 'server-only'
import { createHmac } from 'node:crypto'
import type { ExtFields, RemotingCommand } from '@/broker-engine/index'

export interface AclCredentials {
  readonly accessKey: string
  readonly secretKey: string
  /** Optional STS token; signed like any other field when present. */
  readonly securityToken?: string
}

export const ACL_ACCESS_KEY = 'AccessKey'
export const ACL_SIGNATURE = 'Signature'
export const ACL_SECURITY_TOKEN = 'SecurityToken'

/**
 * The bytes the broker verifies: every ext field except Signature, sorted by name (Java's TreeMap: UTF-16 code
 * unit order, which is JavaScript's default sort), values only, concatenated as UTF-8, then the body.
 * `_UNIQUE_KEY_QUERY` is included: brokers skip it only for requests whose version is V4_9_3 or older, and this
 * client sends version 401 (V4_9_4).
 */
export function signedContent(extFields: ExtFields, body: Buffer | undefined): Buffer {
  let text = ''
  for (const key of Object.keys(extFields).sort()) {
    if (key !== ACL_SIGNATURE) text += extFields[key]
  }
  const fields = Buffer.from(text, 'utf8')
  return body && body.length > 0 ? Buffer.concat([fields, body]) : fields
}

/** base64 of HMAC-SHA1 over `content` keyed with the secret's UTF-8 bytes (RocketMQ's AclSigner). */
export function aclSignature(content: Buffer, secretKey: string): string {
  return createHmac('sha1', Buffer.from(secretKey, 'utf8')).update(content).digest('base64')
}

/** `cmd` with AccessKey, SecurityToken (if any) and Signature added to its ext fields. */
export function signRequest(cmd: RemotingCommand, credentials: AclCredentials): RemotingCommand {
  const extFields: Record<string, string> = { ...cmd.extFields, [ACL_ACCESS_KEY]: credentials.accessKey }
  if (credentials.securityToken !== undefined) extFields[ACL_SECURITY_TOKEN] = credentials.securityToken
  delete extFields[ACL_SIGNATURE]
  extFields[ACL_SIGNATURE] = aclSignature(signedContent(extFields, cmd.body), credentials.secretKey)
  return { ...cmd, extFields }
}
