// Topic and consumer group names as RocketMQ's TopicValidator and MixAll define them: the allowed characters,
// the length limits, the reserved system topics and groups, and the %RETRY%/%DLQ% topic names of a group.

export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102'
export const RMQ_SYS_SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX'
export const RMQ_SYS_BENCHMARK_TOPIC = 'BenchmarkTest'
export const RMQ_SYS_TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC'
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC'
export const RMQ_SYS_TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC'
export const RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC'
export const RMQ_SYS_SELF_TEST_TOPIC = 'SELF_TEST_TOPIC'
export const RMQ_SYS_OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT'
/** Every topic starting with this is a system topic (5.x timer, POP revive, broker sync topics). */
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_'
/** A cluster's request-reply topic is `<brokerClusterName>_REPLY_TOPIC`. */
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC'

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%'
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%'

/** Both topics and groups: RocketMQ's VALID_CHAR_BIT_MAP. */
export const TOPIC_OR_GROUP_PATTERN = /^[%|a-zA-Z0-9_-]+$/
export const TOPIC_NAME_LENGTH_MAX = 127
/** %RETRY%<group> and %DLQ%<group> topics may be longer than ordinary topics. */
export const RETRY_OR_DLQ_TOPIC_NAME_LENGTH_MAX = 255
/** 120 so that %RETRY%<group>_<topic> (POP retry topics) still fits RocketMQ's limits. */
export const GROUP_NAME_LENGTH_MAX = 120
/** Read or write queues of one topic. RocketMQ sets no bound; 1024 is the most its own topics use (BenchmarkTest). */
export const TOPIC_QUEUE_NUMS_MAX = 1024

/** RocketMQ 4.9.4's TopicValidator.SYSTEM_TOPIC_SET (GET_SYSTEM_TOPIC_LIST_FROM_BROKER lists it as is). */
export const TOPIC_VALIDATOR_SYSTEM_TOPICS: readonly string[] = [
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRACE_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
]

const SYSTEM_TOPICS: ReadonlySet<string> = new Set([...TOPIC_VALIDATOR_SYSTEM_TOPICS, 'CHECKPOINT_TOPIC'])

/** Topics a producer may never send to: the broker writes them itself. */
const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
])

export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER'
export const FILTERSRV_CONSUMER_GROUP = 'FILTERSRV_CONSUMER'
export const SELF_TEST_CONSUMER_GROUP = 'SELF_TEST_C_GROUP'
export const ONS_HTTP_PROXY_GROUP = 'CID_ONS-HTTP-PROXY'
export const CID_ONSAPI_PULL_GROUP = 'CID_ONSAPI_PULL'
export const CID_ONSAPI_PERMISSION_GROUP = 'CID_ONSAPI_PERMISSION'
export const CID_ONSAPI_OWNER_GROUP = 'CID_ONSAPI_OWNER'
/** The group whose offsets track transaction half/op queue progress. */
export const CID_SYS_RMQ_TRANS = 'CID_RMQ_SYS_TRANS'
export const CID_RMQ_SYS_PREFIX = 'CID_RMQ_SYS_'

/** RocketMQ's PREDEFINE_GROUP_SET: groups the broker and its tools use themselves. */
const PREDEFINED_GROUPS: ReadonlySet<string> = new Set([
  'DEFAULT_CONSUMER',
  'DEFAULT_PRODUCER',
  TOOLS_CONSUMER_GROUP,
  'SCHEDULE_CONSUMER',
  FILTERSRV_CONSUMER_GROUP,
  '__MONITOR_CONSUMER',
  'CLIENT_INNER_PRODUCER',
  'SELF_TEST_P_GROUP',
  SELF_TEST_CONSUMER_GROUP,
  ONS_HTTP_PROXY_GROUP,
  CID_ONSAPI_PERMISSION_GROUP,
  CID_ONSAPI_OWNER_GROUP,
  CID_ONSAPI_PULL_GROUP,
  CID_SYS_RMQ_TRANS,
])

function describe(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    : typeof value
}

/** undefined when `name` is a valid topic name, else the reason (TopicValidator.validateTopic). */
export function validateTopicName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim().length === 0)
    return `topic must be a non-blank string; got ${describe(name)}`
  if (!TOPIC_OR_GROUP_PATTERN.test(name))
    return `topic ${describe(name)} contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`
  const retryOrDlq = name.startsWith(RETRY_GROUP_TOPIC_PREFIX) || name.startsWith(DLQ_GROUP_TOPIC_PREFIX)
  const lengthMax = retryOrDlq ? RETRY_OR_DLQ_TOPIC_NAME_LENGTH_MAX : TOPIC_NAME_LENGTH_MAX
  if (name.length > lengthMax)
    return `topic ${describe(name)} is ${name.length} characters, longer than the limit of ${lengthMax}`
  return undefined
}

/** undefined when `name` is a valid consumer group name, else the reason (TopicValidator.validateGroup). */
export function validateGroupName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim().length === 0)
    return `group must be a non-blank string; got ${describe(name)}`
  if (!TOPIC_OR_GROUP_PATTERN.test(name))
    return `group ${describe(name)} contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`
  if (name.length > GROUP_NAME_LENGTH_MAX)
    return `group ${describe(name)} is ${name.length} characters, longer than the limit of ${GROUP_NAME_LENGTH_MAX}`
  return undefined
}

/**
 * RocketMQ's fixed system topics and the `rmq_sys_` prefix. A broker also reserves its cluster name, broker name,
 * trace and reply topics; TopicConfigManager.isSystemTopic() knows those.
 */
export function isSystemTopic(name: string): boolean {
  return SYSTEM_TOPICS.has(name) || name.startsWith(SYSTEM_TOPIC_PREFIX)
}

export function isNotAllowedSendTopic(name: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(name)
}

/** A predefined group or any `CID_RMQ_SYS_` group: created on demand even when auto-creation is off. */
export function isSystemGroup(name: string): boolean {
  return PREDEFINED_GROUPS.has(name) || name.startsWith(CID_RMQ_SYS_PREFIX)
}

export function retryTopicOf(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group
}

export function dlqTopicOf(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)
}

export function isDlqTopic(topic: string): boolean {
  return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)
}

export function replyTopicOf(brokerClusterName: string): string {
  return `${brokerClusterName}_${REPLY_TOPIC_POSTFIX}`
}
