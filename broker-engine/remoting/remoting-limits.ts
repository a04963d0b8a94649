// Limits every decoded frame is held to. A frame that breaks one is malformed: the connection that sent it is
// closed, the server keeps serving everyone else.

export interface RemotingLimits {
  /** Bytes after the length prefix (RocketMQ's frameMaxLength default: 16 MiB). */
  readonly frameBytesMax: number
  readonly headerBytesMax: number
  readonly extFieldsMax: number
  readonly extFieldNameBytesMax: number
  /** A properties string is at most 32 KiB; other values are far smaller. */
  readonly extFieldValueBytesMax: number
  readonly remarkBytesMax: number
}

export const DEFAULT_REMOTING_LIMITS: RemotingLimits = {
  frameBytesMax: 16 * 1024 * 1024,
  headerBytesMax: 256 * 1024,
  extFieldsMax: 256,
  extFieldNameBytesMax: 256,
  extFieldValueBytesMax: 64 * 1024,
  remarkBytesMax: 64 * 1024,
}

/** Why a frame could not be decoded. */
export class RemotingFrameError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemotingFrameError'
  }
}
