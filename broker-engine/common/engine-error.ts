// Caller misuse and broken invariants inside the engine. Expected outcomes (a full disk, a missing message)
// are values, not exceptions; see the result unions in each module.

export type EngineErrorCode =
  | 'CONFIG_INVALID'
  | 'STORE_LOCKED'
  | 'STORE_CORRUPT'
  | 'STORE_CLOSED'
  | 'TOPIC_INVALID'
  | 'QUEUE_ID_INVALID'
  | 'OFFSET_OUT_OF_RANGE'
  | 'ARGUMENT_INVALID'

export class EngineError extends Error {
  readonly code: EngineErrorCode
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(code: EngineErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'EngineError'
    this.code = code
    this.details = details
  }
}

/** A corrupt file found where the store cannot safely continue; names the file and the byte offset. */
export class StoreCorruptionError extends EngineError {
  readonly file: string
  readonly fileOffset: number

  constructor(file: string, fileOffset: number, reason: string) {
    super('STORE_CORRUPT', `corrupt store file ${file} at offset ${fileOffset}: ${reason}`, {
      file,
      fileOffset,
      reason,
    })
    this.name = 'StoreCorruptionError'
    this.file = file
    this.fileOffset = fileOffset
  }
}

/** Throws when an invariant does not hold; the message says which and where. */
export function assertInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`)
}
