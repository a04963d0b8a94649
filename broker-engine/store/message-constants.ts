// RocketMQ's record constants: magic codes, sysFlag bits, property names and limits (see FORMAT.md).

/** V1 record: 1-byte topic length. */
export const MESSAGE_MAGIC_CODE_V1 = 0xdaa320a7 | 0
/** V2 record: 2-byte topic length, used when the topic is longer than 127 bytes. */
export const MESSAGE_MAGIC_CODE_V2 = 0xdaa320ab | 0
/** End-of-segment padding marker: [int32 remaining][int32 BLANK]. */
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0
/** A record needs this much room left after it for the blank marker. */
export const END_FILE_MIN_BLANK_LENGTH = 8

export const SYSFLAG_COMPRESSED = 0x1
export const SYSFLAG_MULTI_TAGS = 0x2
export const SYSFLAG_TRANSACTION_NOT_TYPE = 0x0
export const SYSFLAG_TRANSACTION_PREPARED_TYPE = 0x4
export const SYSFLAG_TRANSACTION_COMMIT_TYPE = 0x8
export const SYSFLAG_TRANSACTION_ROLLBACK_TYPE = 0xc
export const SYSFLAG_TRANSACTION_TYPE_MASK = 0xc
export const SYSFLAG_BORNHOST_V6 = 0x10
export const SYSFLAG_STOREHOST_V6 = 0x20

export const PROPERTY_NAME_VALUE_SEPARATOR = '\u0001'
export const PROPERTY_SEPARATOR = '\u0002'

export const PROPERTY_KEYS = 'KEYS'
export const PROPERTY_TAGS = 'TAGS'
export const PROPERTY_UNIQ_KEY = 'UNIQ_KEY'
export const PROPERTY_DELAY_TIME_LEVEL = 'DELAY'
export const PROPERTY_REAL_TOPIC = 'REAL_TOPIC'
export const PROPERTY_REAL_QUEUE_ID = 'REAL_QID'
/** Keys in the KEYS property are separated by a space. */
export const KEY_SEPARATOR = ' '

export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX'

/** Topic names RocketMQ accepts (Validators.VALID_PATTERN_STR) plus the `%` of retry/DLQ topics. */
export const TOPIC_PATTERN = /^[%|a-zA-Z0-9_-]+$/
/** V2 records carry a 2-byte topic length; we still bound topics to keep directory names sane. */
export const TOPIC_LENGTH_MAX = 255
export const QUEUE_ID_MAX = 65_535
/** The properties length is a signed 16-bit field. */
export const PROPERTIES_LENGTH_MAX = 32_767

/** Fixed part of a record with IPv4 hosts and a V1 topic length: 91 bytes (PROTOCOL.md 3.1). */
export const RECORD_FIXED_BYTES_V1_IPV4 = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + 1 + 2
