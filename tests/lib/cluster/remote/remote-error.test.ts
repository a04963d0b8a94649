// lib/cluster/remote/remote-error.ts with lib/errors.ts: a remote failure becomes an AppError by its kind, keeping
// the peer's first remark line in the message and the call's identity in the details.
import { describe, expect, it } from 'vitest'
import { REQUEST_CODE, RESPONSE_CODE } from '@/broker-engine/index'
import { AppError, toAppError } from '@/lib/errors'
import { RemoteClusterError, isRemoteClusterError, responseError } from '@/lib/cluster/remote/remote-error'

describe('remote errors', () => {
  it('classifies response codes and keeps the first remark line', () => {
    const err = responseError(
      '10.0.0.1:10911',
      REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC,
      RESPONSE_CODE.TOPIC_NOT_EXIST,
      'No topic route info in name server for the topic: T\nSee http://rocketmq.apache.org/docs/faq/',
    )
    expect(err.kind).toBe('NOT_FOUND')
    expect(err.message).toBe(
      '10.0.0.1:10911 answered GET_ROUTEINFO_BY_TOPIC with code 17: No topic route info in name server for the topic: T',
    )
    expect(responseError('a:1', 11, RESPONSE_CODE.NO_PERMISSION, undefined).kind).toBe('NO_PERMISSION')
    expect(responseError('a:1', 11, RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED, undefined).kind).toBe(
      'UNSUPPORTED',
    )
    expect(responseError('a:1', 11, RESPONSE_CODE.SYSTEM_BUSY, undefined).kind).toBe('REFUSED')
  })

  it.each([
    ['UNREACHABLE', 'SERVICE_UNAVAILABLE'],
    ['TIMEOUT', 'SERVICE_UNAVAILABLE'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['INVALID_REQUEST', 'VALIDATION_FAILED'],
    ['BAD_RESPONSE', 'SERVICE_UNAVAILABLE'],
  ] as const)('toAppError maps %s to %s with details', (kind, code) => {
    const app = toAppError(
      new RemoteClusterError(kind, 'why', { addr: 'h:1', requestCode: 105, responseCode: 17 }),
    )
    expect(app).toBeInstanceOf(AppError)
    expect(app.code).toBe(code)
    expect(app.message).toBe('why')
    expect(app.details).toEqual({
      remoteKind: kind,
      addr: 'h:1',
      requestCode: 'GET_ROUTEINFO_BY_TOPIC',
      responseCode: 17,
    })
  })

  it('recognises a copy from another bundle by its shape', () => {
    const foreign = Object.assign(new Error('x'), { name: 'RemoteClusterError', kind: 'TIMEOUT' })
    expect(isRemoteClusterError(foreign)).toBe(true)
    expect(toAppError(foreign).code).toBe('SERVICE_UNAVAILABLE')
    expect(
      isRemoteClusterError(Object.assign(new Error('x'), { name: 'RemoteClusterError', kind: 'NOPE' })),
    ).toBe(false)
  })
})
