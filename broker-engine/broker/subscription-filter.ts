// A consumer's subscription expression as RocketMQ's TAG filter reads it: "*" (everything) or tags joined by
// "||". The broker filters by the tag hash in the ConsumeQueue, then checks the tag string on the record,
// because different tags can share a hash.

import { javaStringHashCode } from '../common/java-hash'
import { EngineError } from '../common/engine-error'

export const SUBSCRIBE_ALL = '*'
const SUB_STRING_LENGTH_MAX = 4096

export interface TagSubscription {
  readonly subString: string
  /** Undefined for "*". */
  readonly tags: ReadonlySet<string> | undefined
  readonly tagsCodes: ReadonlySet<number> | undefined
}

export function parseSubscription(subString: string | undefined): TagSubscription {
  const text = (subString ?? '').trim()
  if (text.length > SUB_STRING_LENGTH_MAX) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `subscription expression longer than ${SUB_STRING_LENGTH_MAX} characters`,
    )
  }
  if (text === '' || text === SUBSCRIBE_ALL)
    return { subString: SUBSCRIBE_ALL, tags: undefined, tagsCodes: undefined }
  const tags = new Set(
    text
      .split('||')
      .map((t) => t.trim())
      .filter((t) => t.length > 0),
  )
  if (tags.size === 0) return { subString: SUBSCRIBE_ALL, tags: undefined, tagsCodes: undefined }
  return { subString: text, tags, tagsCodes: new Set([...tags].map(javaStringHashCode)) }
}

/** True when a message with this tag belongs to the subscription. */
export function matchesTag(subscription: TagSubscription, tag: string | undefined): boolean {
  if (!subscription.tags) return true
  return tag !== undefined && subscription.tags.has(tag)
}
