// How the Topics pages show a topic's type and permissions; keyed by lib's TopicType so a new type fails the
// typecheck here until it has a label.
import type { BadgeTone } from '@/app/_components/badge'
import type { TopicType } from '@/lib/console/topics'

export const TOPIC_TYPE_LABEL: Readonly<Record<TopicType, string>> = {
  normal: 'Normal',
  fifo: 'FIFO',
  delay: 'Delay',
  transactional: 'Transactional',
  retry: 'Retry',
  dlq: 'DLQ',
  system: 'System',
}

/**
 * The filter chips' order: the label table's (lib's TOPIC_TYPES is server-only; deriving it from a record keyed by
 * TopicType keeps the two lists from drifting apart).
 */
export const TOPIC_TYPE_ORDER = Object.keys(TOPIC_TYPE_LABEL) as readonly TopicType[]

export const TOPIC_TYPE_TONE: Readonly<Record<TopicType, BadgeTone>> = {
  normal: 'neutral',
  fifo: 'info',
  delay: 'info',
  transactional: 'info',
  retry: 'warning',
  dlq: 'danger',
  system: 'neutral',
}

/** PermName bits as RocketMQ's tools print them: 6 → "RW-", with the number. */
export function formatPerm(perm: number | undefined): string {
  if (perm === undefined) return '–'
  const bits = `${perm & 4 ? 'R' : '-'}${perm & 2 ? 'W' : '-'}${perm & 1 ? 'X' : '-'}`
  return `${bits} (${perm})`
}
