import { describe, expect, it } from 'vitest'
import {
  dlqTopicOf,
  isDlqTopic,
  isNotAllowedSendTopic,
  isRetryTopic,
  isSystemGroup,
  isSystemTopic,
  replyTopicOf,
  retryTopicOf,
  validateGroupName,
  validateTopicName,
} from '../../../broker-engine/broker/topic-validator'

describe('validateTopicName follows TopicValidator.validateTopic', () => {
  it('accepts the allowed characters up to 127 characters', () => {
    for (const name of ['TopicTest', 'a', 'order-events_v2', 'A|B', '%RETRY%G', 'x'.repeat(127)]) {
      expect(validateTopicName(name)).toBeUndefined()
    }
  })

  it('refuses blank, non-string, illegal characters and over-long names with a reason', () => {
    const cases: [unknown, RegExp][] = [
      ['', /non-blank/],
      ['   ', /non-blank/],
      [undefined, /non-blank.*undefined/],
      [42, /non-blank.*number/],
      ['has space', /illegal characters/],
      ['dot.ted', /illegal characters/],
      ['slash/x', /illegal characters/],
      ['ünïcode', /illegal characters/],
      ['topic@group', /illegal characters/],
      ['x'.repeat(128), /128 characters, longer than the limit of 127/],
    ]
    for (const [name, reason] of cases) expect(validateTopicName(name)).toMatch(reason)
  })

  it('lets %RETRY% and %DLQ% topics run to 255 characters, not further', () => {
    expect(validateTopicName('%RETRY%' + 'g'.repeat(248))).toBeUndefined()
    expect(validateTopicName('%DLQ%' + 'g'.repeat(250))).toBeUndefined()
    expect(validateTopicName('%DLQ%' + 'g'.repeat(251))).toMatch(/limit of 255/)
  })
})

describe('validateGroupName follows TopicValidator.validateGroup', () => {
  it('accepts up to 120 characters and refuses longer or illegal names', () => {
    expect(validateGroupName('GID_order-consumer')).toBeUndefined()
    expect(validateGroupName('g'.repeat(120))).toBeUndefined()
    expect(validateGroupName('g'.repeat(121))).toMatch(/limit of 120/)
    expect(validateGroupName('bad group')).toMatch(/illegal characters/)
    expect(validateGroupName('')).toMatch(/non-blank/)
    expect(validateGroupName(null)).toMatch(/non-blank/)
  })
})

describe('system topics and groups', () => {
  it('knows the fixed system topics and the rmq_sys_ prefix, not ordinary or retry topics', () => {
    for (const t of [
      'TBW102',
      'SCHEDULE_TOPIC_XXXX',
      'RMQ_SYS_TRANS_HALF_TOPIC',
      'RMQ_SYS_TRANS_OP_HALF_TOPIC',
      'TRANS_CHECK_MAX_TIME_TOPIC',
      'SELF_TEST_TOPIC',
      'OFFSET_MOVED_EVENT',
      'BenchmarkTest',
      'RMQ_SYS_TRACE_TOPIC',
      'rmq_sys_wheel_timer',
    ]) {
      expect(isSystemTopic(t), t).toBe(true)
    }
    for (const t of ['TopicTest', '%RETRY%G', '%DLQ%G', 'tbw102']) expect(isSystemTopic(t), t).toBe(false)
  })

  it('forbids sends only to the topics the broker writes itself', () => {
    expect(isNotAllowedSendTopic('SCHEDULE_TOPIC_XXXX')).toBe(true)
    expect(isNotAllowedSendTopic('RMQ_SYS_TRANS_HALF_TOPIC')).toBe(true)
    expect(isNotAllowedSendTopic('TBW102')).toBe(false)
    expect(isNotAllowedSendTopic('RMQ_SYS_TRACE_TOPIC')).toBe(false)
  })

  it('treats predefined and CID_RMQ_SYS_ groups as system groups', () => {
    expect(isSystemGroup('TOOLS_CONSUMER')).toBe(true)
    expect(isSystemGroup('CID_RMQ_SYS_TRANS')).toBe(true)
    expect(isSystemGroup('CID_RMQ_SYS_ANYTHING')).toBe(true)
    expect(isSystemGroup('GID_orders')).toBe(false)
  })

  it('names retry, DLQ and reply topics as RocketMQ does', () => {
    expect(retryTopicOf('G')).toBe('%RETRY%G')
    expect(dlqTopicOf('G')).toBe('%DLQ%G')
    expect(isRetryTopic('%RETRY%G')).toBe(true)
    expect(isDlqTopic('%DLQ%G')).toBe(true)
    expect(isRetryTopic('%DLQ%G')).toBe(false)
    expect(replyTopicOf('DefaultCluster')).toBe('DefaultCluster_REPLY_TOPIC')
  })
})
