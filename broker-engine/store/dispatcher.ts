// Reading records back out of the CommitLog: the chunked scanner recovery uses to verify the log, and the
// parse that turns a record into what its ConsumeQueue unit and index entries need. Live appends compute the
// same values with the same functions (computeTagsCode, findProperty), so both paths build the same queues.

import { javaStringHashCode } from '../common/java-hash'
import {
  PROPERTY_DELAY_TIME_LEVEL,
  PROPERTY_KEYS,
  PROPERTY_TAGS,
  PROPERTY_UNIQ_KEY,
  SCHEDULE_TOPIC,
  SYSFLAG_BORNHOST_V6,
  SYSFLAG_STOREHOST_V6,
  MESSAGE_MAGIC_CODE_V2,
  BLANK_MAGIC_CODE,
} from './message-constants'
import { checkRecord, hostBytes, readInt64BE, type RecordCheck } from './message-codec'
import { findProperty } from './message-properties'
import type { CommitLog } from './commit-log'
import type { SegmentFile } from './segment-file'

/**
 * The ConsumeQueue tag code: Java hashCode of TAGS, or for SCHEDULE_TOPIC_XXXX the time the delayed message
 * falls due (store time + the level's delay), which the delay service scans by.
 */
export function computeTagsCode(
  topic: string,
  properties: string,
  storeTimestampMs: number,
  delayLevelsMs: readonly number[],
): number {
  if (topic === SCHEDULE_TOPIC) {
    const level = Number(findProperty(properties, PROPERTY_DELAY_TIME_LEVEL) ?? 0)
    const clamped = Math.min(Math.max(Number.isInteger(level) ? level : 0, 1), delayLevelsMs.length)
    return storeTimestampMs + (delayLevelsMs[clamped - 1] ?? 0)
  }
  const tags = findProperty(properties, PROPERTY_TAGS)
  return tags ? javaStringHashCode(tags) : 0
}

/** What dispatch needs from one stored record. */
export interface DispatchRecord {
  readonly commitLogOffset: number
  readonly size: number
  readonly topic: string
  readonly queueId: number
  readonly queueOffset: number
  readonly sysFlag: number
  readonly storeTimestampMs: number
  readonly tagsCode: number
  readonly keys: string | undefined
  readonly uniqKey: string | undefined
}

export function parseForDispatch(buf: Buffer, pos: number, delayLevelsMs: readonly number[]): DispatchRecord {
  const sysFlag = buf.readInt32BE(pos + 36)
  let p = pos + 48 + hostBytes(sysFlag, SYSFLAG_BORNHOST_V6)
  const storeTimestampMs = readInt64BE(buf, p)
  p += 8 + hostBytes(sysFlag, SYSFLAG_STOREHOST_V6) + 12
  const bodyLength = buf.readInt32BE(p)
  p += 4 + bodyLength
  const v2 = buf.readInt32BE(pos + 4) === MESSAGE_MAGIC_CODE_V2
  const topicLength = v2 ? buf.readInt16BE(p) : (buf[p] ?? 0)
  p += v2 ? 2 : 1
  const topic = buf.toString('latin1', p, p + topicLength)
  p += topicLength
  const propertiesLength = buf.readInt16BE(p)
  const properties = propertiesLength > 0 ? buf.toString('utf8', p + 2, p + 2 + propertiesLength) : ''
  return {
    commitLogOffset: readInt64BE(buf, pos + 28),
    size: buf.readInt32BE(pos),
    topic,
    queueId: buf.readInt32BE(pos + 12),
    queueOffset: readInt64BE(buf, pos + 20),
    sysFlag,
    storeTimestampMs,
    tagsCode: computeTagsCode(topic, properties, storeTimestampMs, delayLevelsMs),
    keys: findProperty(properties, PROPERTY_KEYS),
    uniqKey: findProperty(properties, PROPERTY_UNIQ_KEY),
  }
}

export type ScanStop =
  | { readonly kind: 'END'; readonly offset: number }
  | {
      readonly kind: 'CORRUPT'
      readonly offset: number
      readonly file: string
      readonly fileOffset: number
      readonly reason: string
    }

/**
 * Walks records from `from` (a record boundary) to the first position holding no valid record, verifying each
 * (magic, sizes, CRC). Calls `onRecord` with the buffer and position of every valid message. Blank markers
 * move the walk to the next segment.
 */
function corruptAt(segment: SegmentFile, offset: number, reason: string): ScanStop {
  return { kind: 'CORRUPT', offset, file: segment.path, fileOffset: offset - segment.fileFromOffset, reason }
}

export function scanCommitLog(
  commitLog: CommitLog,
  from: number,
  maxRecordBytes: number,
  onRecord: ((buf: Buffer, pos: number, commitLogOffset: number) => void) | undefined,
): ScanStop {
  let buf = Buffer.allocUnsafe(Math.max(4 * 1024 * 1024, maxRecordBytes))
  let offset = from
  for (;;) {
    const segment = commitLog.segmentFor(offset)
    if (!segment) return { kind: 'END', offset }
    const segmentEnd = segment.fileFromOffset + segment.fileSize
    const got = segment.read(
      buf,
      0,
      Math.min(buf.length, segmentEnd - offset),
      offset - segment.fileFromOffset,
    )
    let pos = 0
    let nextOffset = -1
    for (;;) {
      const here = offset + pos
      const availableInSegment = segmentEnd - here
      const inChunk = got - pos
      if (availableInSegment < 8) return { kind: 'END', offset: here } // the writer always leaves room for a blank marker
      if (inChunk < 8) break
      const declared = buf.readInt32BE(pos)
      if (buf.readInt32BE(pos + 4) === BLANK_MAGIC_CODE) {
        if (declared !== availableInSegment) {
          return corruptAt(
            segment,
            here,
            `blank marker says ${declared} bytes left, segment has ${availableInSegment}`,
          )
        }
        nextOffset = segmentEnd
        break
      }
      if (declared > inChunk && inChunk < availableInSegment && declared > 0 && declared <= maxRecordBytes) {
        if (pos === 0) buf = Buffer.allocUnsafe(declared) // a record larger than the chunk
        break
      }
      const check: RecordCheck = checkRecord(
        buf,
        pos,
        Math.min(inChunk, availableInSegment),
        here,
        maxRecordBytes,
      )
      if (check.kind === 'END') return { kind: 'END', offset: here }
      if (check.kind !== 'MESSAGE')
        return corruptAt(segment, here, check.kind === 'CORRUPT' ? check.reason : 'unexpected blank marker')
      onRecord?.(buf, pos, here)
      pos += check.size
    }
    offset = nextOffset >= 0 ? nextOffset : offset + pos
  }
}
