// lib/store/send-test-message.ts: the zod schema of the "Send test message" form and the properties string.
import { describe, expect, it } from 'vitest'
import {
  buildTestMessageProperties,
  sendTestMessageInput,
  TEST_MESSAGE_BODY_BYTES_MAX,
} from '@/lib/store/send-test-message'

const valid = { topic: 'TestTopic', tag: 'TagA', keys: 'order-1 order-2', body: 'hello' }

function fieldErrorsOf(input: unknown): Record<string, string[] | undefined> {
  const result = sendTestMessageInput.safeParse(input)
  if (result.success) return {}
  const out: Record<string, string[]> = {}
  for (const issue of result.error.issues) (out[issue.path.join('.')] ??= []).push(issue.message)
  return out
}

describe('sendTestMessageInput', () => {
  it('accepts a plain message and trims its fields', () => {
    expect(sendTestMessageInput.parse({ ...valid, topic: ' TestTopic ', tag: ' TagA ' })).toEqual(valid)
  })

  it('turns empty tag and keys into undefined', () => {
    expect(sendTestMessageInput.parse({ topic: 'T', tag: '', keys: '  ', body: 'x' })).toEqual({
      topic: 'T',
      tag: undefined,
      keys: undefined,
      body: 'x',
    })
    expect(sendTestMessageInput.parse({ topic: 'T', body: 'x' })).toMatchObject({ topic: 'T', body: 'x' })
  })

  it.each([
    ['%RETRY%my_group', true],
    ['%DLQ%my_group', true],
    ['a|b-c_D9', true],
    ['x'.repeat(127), true],
    ['x'.repeat(128), false],
    ['', false],
    ['has space', false],
    ['dot.ted', false],
    ['slash/ed', false],
    ['ünïcode', false],
  ])('topic %j valid: %s', (topic, ok) => {
    expect(sendTestMessageInput.safeParse({ ...valid, topic }).success).toBe(ok)
    if (!ok) expect(fieldErrorsOf({ ...valid, topic }).topic).toBeDefined()
  })

  it('limits the body to 4 MiB of UTF-8, counting bytes not characters', () => {
    expect(
      sendTestMessageInput.safeParse({ ...valid, body: 'a'.repeat(TEST_MESSAGE_BODY_BYTES_MAX) }).success,
    ).toBe(true)
    expect(fieldErrorsOf({ ...valid, body: 'a'.repeat(TEST_MESSAGE_BODY_BYTES_MAX + 1) }).body).toBeDefined()
    // 'é' is 2 bytes in UTF-8: 2 Mi + 1 characters are 4 MiB + 2 bytes.
    expect(
      fieldErrorsOf({ ...valid, body: 'é'.repeat(TEST_MESSAGE_BODY_BYTES_MAX / 2 + 1) }).body,
    ).toBeDefined()
    expect(fieldErrorsOf({ ...valid, body: '' }).body).toBeDefined()
  })

  it('rejects tags and keys that would break the properties string', () => {
    expect(fieldErrorsOf({ ...valid, tag: 'a||b' }).tag).toBeDefined()
    expect(fieldErrorsOf({ ...valid, tag: 'a\u0001b' }).tag).toBeDefined()
    expect(fieldErrorsOf({ ...valid, keys: 'k1\u0002k2' }).keys).toBeDefined()
    expect(fieldErrorsOf({ ...valid, tag: 't'.repeat(256) }).tag).toBeDefined()
  })

  it('rejects wrong types', () => {
    expect(sendTestMessageInput.safeParse({ ...valid, body: 42 }).success).toBe(false)
    expect(sendTestMessageInput.safeParse(null).success).toBe(false)
  })
})

describe('buildTestMessageProperties', () => {
  it("writes RocketMQ's TAGS and KEYS properties with \\u0001 and \\u0002 separators", () => {
    expect(buildTestMessageProperties('TagA', 'k1  k2 ')).toBe('TAGS\u0001TagA\u0002KEYS\u0001k1 k2')
    expect(buildTestMessageProperties(undefined, 'k1')).toBe('KEYS\u0001k1')
    expect(buildTestMessageProperties('TagA', undefined)).toBe('TAGS\u0001TagA')
    expect(buildTestMessageProperties(undefined, undefined)).toBe('')
  })
})
