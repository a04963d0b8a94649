// Public types of the message store: what goes in, what comes out, and the figures it reports.
// Expected outcomes are values (discriminated unions), never exceptions.

/** A host as stored in a record: IPv4 (4 bytes) or IPv6 (16 bytes) plus a port. */
export interface HostAddress {
  /** 4 or 16 raw address bytes. */
  readonly address: Uint8Array
  readonly port: number
}

/** A message handed to the store. `properties` uses RocketMQ's wire form (name\u0001value\u0002...). */
export interface MessageToStore {
  readonly topic: string
  readonly queueId: number
  readonly body: Uint8Array
  /** RocketMQ's properties string; may be empty. The store adds UNIQ_KEY when it is missing. */
  readonly propertiesString?: string
  readonly flag?: number
  readonly sysFlag?: number
  readonly bornTimestampMs?: number
  readonly bornHost?: HostAddress
  readonly reconsumeTimes?: number
  readonly preparedTransactionOffset?: number
}

/** RocketMQ's PutMessageStatus values the store can produce. */
export type PutMessageFailureStatus =
  | 'MESSAGE_ILLEGAL'
  | 'PROPERTIES_SIZE_EXCEEDED'
  | 'SERVICE_NOT_AVAILABLE'
  | 'CREATE_MAPPED_FILE_FAILED'
  | 'OS_PAGE_CACHE_BUSY'
  | 'UNKNOWN_ERROR'

export interface PutMessageOk {
  readonly status: 'PUT_OK' | 'FLUSH_DISK_TIMEOUT'
  readonly commitLogOffset: number
  readonly queueOffset: number
  readonly wroteBytes: number
  readonly storeTimestampMs: number
  /** UNIQ_KEY of the stored message (the producer's, or one the store generated). */
  readonly uniqKey: string
}

export interface PutMessageFailed {
  readonly status: PutMessageFailureStatus
  readonly reason: string
}

export type PutMessageResult = PutMessageOk | PutMessageFailed

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH'

/** Live figures of a store, for the console and the benchmarks. */
export interface StoreRuntimeStats {
  readonly storePathRootDir: string
  readonly flushDiskType: FlushDiskType
  readonly startedAtMs: number
  /** True when the last start found the abort marker and ran crash recovery. */
  readonly recoveredAbnormally: boolean
  readonly commitLogMinOffset: number
  readonly commitLogMaxOffset: number
  /** Bytes of the CommitLog known durable (fdatasync'd). */
  readonly commitLogFlushedOffset: number
  /** CommitLog offset up to which ConsumeQueues and the index are built. */
  readonly dispatchedOffset: number
  readonly commitLogSegmentCount: number
  readonly consumeQueueCount: number
  readonly indexFileCount: number
  /** Messages appended since start. */
  readonly putMessageCount: number
  readonly putMessageBytes: number
  /** Messages and bytes stored per second over the last few seconds. */
  readonly putTps: number
  readonly diskUsedBytes: number
  readonly writable: boolean
}

/** RocketMQ's GetMessageStatus. */
export type GetMessageStatus =
  | 'FOUND'
  | 'NO_MATCHED_MESSAGE'
  | 'MESSAGE_WAS_REMOVING'
  | 'OFFSET_OVERFLOW_BADLY'
  | 'OFFSET_OVERFLOW_ONE'
  | 'OFFSET_TOO_SMALL'
  | 'NO_MATCHED_LOGIC_QUEUE'
  | 'NO_MESSAGE_IN_QUEUE'

export interface GetMessageRequest {
  readonly topic: string
  readonly queueId: number
  readonly queueOffset: number
  /** At most this many messages (RocketMQ's pull batch, default 32). */
  readonly maxMsgNums: number
  /** Stop adding records past this many bytes (at least one record is returned). Default 256 KiB. */
  readonly maxTotalBytes?: number
  /** Broker-side filter on the ConsumeQueue tag code; messages it rejects are skipped. */
  readonly tagsCodeFilter?: (tagsCode: number) => boolean
}

export interface GetMessageResult {
  readonly status: GetMessageStatus
  readonly nextBeginOffset: number
  readonly minOffset: number
  readonly maxOffset: number
  readonly messageCount: number
  /** The records back to back in queue order: exactly a PULL_MESSAGE response body. */
  readonly records: Buffer
  /** CommitLog offset of each returned record. */
  readonly commitLogOffsets: readonly number[]
}

/** What a crash recovery found and did, for logs and the console. */
export interface RecoveryReport {
  readonly abnormal: boolean
  /** Where verification started and where the valid log ends. */
  readonly scanFromOffset: number
  readonly commitLogEndOffset: number
  /** Set when a torn or corrupt tail was cut off. */
  readonly truncated?: { readonly file: string; readonly fileOffset: number; readonly reason: string }
  readonly redispatchedMessages: number
  readonly durationMs: number
}
