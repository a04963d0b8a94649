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

/** The filter chips' order (lib's TOPIC_TYPES is server-only). */
export const TOPIC_TYPE_ORDER: readonly TopicType[] = [
  'normal',
  'fifo',
  'delay',
  'transactional',
  'retry',
  'dlq',
  'system',
]

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

/** The console path of a topic or group (segments encoded: %DLQ%g must round-trip). */
export function topicPath(cluster: string, topic: string): string {
  return `/c/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`
}

export function groupPath(cluster: string, group: string): string {
  return `/c/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}`
}
