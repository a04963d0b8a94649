// Why a call to a remote RocketMQ cluster failed, as one error class with a closed set of kinds. lib/errors.ts
// maps it to an AppError by kind (structurally, like engine errors), so callers never parse message text.
import 'server-only'
import { RESPONSE_CODE, requestCodeName } from '@/broker-engine/index'

export const REMOTE_FAILURE_KINDS = [
  /** No TCP connection could be made (refused, unreachable, bad address). */
  'UNREACHABLE',
  /** The peer did not answer within the call's deadline (or the concurrency queue was full for too long). */
  'TIMEOUT',
  /** The topic, group or message does not exist on the cluster. */
  'NOT_FOUND',
  /** The cluster's ACL or a topic's permission refused the call. */
  'NO_PERMISSION',
  /** The cluster rejected the request's content (INVALID_PARAMETER, MESSAGE_ILLEGAL, ...). */
  'INVALID_REQUEST',
  /** The peer does not implement the request code (REQUEST_CODE_NOT_SUPPORTED: an older broker, a proxy). */
  'UNSUPPORTED',
  /** Any other error response (SYSTEM_ERROR, SYSTEM_BUSY, SERVICE_NOT_AVAILABLE, ...). */
  'REFUSED',
  /** The answer could not be read (malformed body or record). */
  'BAD_RESPONSE',
] as const

export type RemoteFailureKind = (typeof REMOTE_FAILURE_KINDS)[number]

export interface RemoteCallContext {
  /** "host:port" of the NameServer or broker that was called. */
  readonly addr?: string
  readonly requestCode?: number
  readonly responseCode?: number
  /** The peer's remark, verbatim (RocketMQ puts its reason there). */
  readonly remark?: string
}

export class RemoteClusterError extends Error {
  readonly kind: RemoteFailureKind
  readonly addr: string | undefined
  readonly requestCode: number | undefined
  readonly responseCode: number | undefined
  readonly remark: string | undefined

  constructor(kind: RemoteFailureKind, message: string, context: RemoteCallContext = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'RemoteClusterError'
    this.kind = kind
    this.addr = context.addr
    this.requestCode = context.requestCode
    this.responseCode = context.responseCode
    this.remark = context.remark
  }

  /** Plain fields for logs and AppError details (no stack, no cause). */
  toDetails(): Record<string, unknown> {
    return {
      remoteKind: this.kind,
      ...(this.addr !== undefined ? { addr: this.addr } : {}),
      ...(this.requestCode !== undefined ? { requestCode: requestCodeName(this.requestCode) } : {}),
      ...(this.responseCode !== undefined ? { responseCode: this.responseCode } : {}),
    }
  }
}

/** True for RemoteClusterErrors, including ones from another bundled copy of this module (Next duplicates). */
export function isRemoteClusterError(err: unknown): err is RemoteClusterError {
  return (
    err instanceof RemoteClusterError ||
    (err instanceof Error &&
      err.name === 'RemoteClusterError' &&
      typeof (err as { kind?: unknown }).kind === 'string' &&
      (REMOTE_FAILURE_KINDS as readonly string[]).includes((err as unknown as { kind: string }).kind))
  )
}

const RESPONSE_KIND: ReadonlyMap<number, RemoteFailureKind> = new Map([
  [RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED, 'UNSUPPORTED'],
  [RESPONSE_CODE.NO_PERMISSION, 'NO_PERMISSION'],
  [RESPONSE_CODE.TOPIC_NOT_EXIST, 'NOT_FOUND'],
  [RESPONSE_CODE.SUBSCRIPTION_GROUP_NOT_EXIST, 'NOT_FOUND'],
  [RESPONSE_CODE.QUERY_NOT_FOUND, 'NOT_FOUND'],
  [RESPONSE_CODE.NO_MESSAGE, 'NOT_FOUND'],
  [RESPONSE_CODE.INVALID_PARAMETER, 'INVALID_REQUEST'],
  [RESPONSE_CODE.MESSAGE_ILLEGAL, 'INVALID_REQUEST'],
  [RESPONSE_CODE.SUBSCRIPTION_PARSE_FAILED, 'INVALID_REQUEST'],
  [RESPONSE_CODE.VERSION_NOT_SUPPORTED, 'UNSUPPORTED'],
])

/** The error for an unexpected response code, its remark kept (first line only in the message). */
export function responseError(
  addr: string,
  requestCode: number,
  responseCode: number,
  remark: string | undefined,
): RemoteClusterError {
  const kind = RESPONSE_KIND.get(responseCode) ?? 'REFUSED'
  const firstLine = remark?.split('\n')[0]?.trim()
  return new RemoteClusterError(
    kind,
    `${addr} answered ${requestCodeName(requestCode)} with code ${responseCode}` +
      (firstLine ? `: ${firstLine}` : ''),
    { addr, requestCode, responseCode, remark },
  )
}

/** A body or header field that does not have the shape RocketMQ documents. */
export function badResponse(addr: string, requestCode: number, what: string): RemoteClusterError {
  return new RemoteClusterError(
    'BAD_RESPONSE',
    `${addr} answered ${requestCodeName(requestCode)} with an unreadable ${what}`,
    { addr, requestCode },
  )
}
