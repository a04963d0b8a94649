// The error answers of the two processor families, for handlers that throw and handlers whose promise rejects.

import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { createRequest, type RemotingCommand } from '../../../broker-engine/remoting/remoting-command'
import { RESPONSE_CODE } from '../../../broker-engine/remoting/remoting-codes'
import type { RequestHandler } from '../../../broker-engine/remoting/remoting-connection'
import { clientFields, RequestError } from '../../../broker-engine/remoting/request-fields'
import { answerAdminError, guarded, guardedSync } from '../../../broker-engine/remoting/request-guard'

const r = createRequest(11, { extFields: {} })
const call = (handler: RequestHandler) => handler(r, undefined as never)

describe('guarded', () => {
  it('turns field and engine refusals into error answers, and lets other failures through', () => {
    const fieldError = call(
      guarded((req) => {
        clientFields.requiredInt32(req, 'queueId')
        return undefined
      }),
    )
    expect(fieldError).toMatchObject({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'the header field queueId is missing',
      extFields: {},
    })
    const engineError = call(
      guarded(() => {
        throw new EngineError('ARGUMENT_INVALID', 'group must be 1-255 characters')
      }),
    )
    expect(engineError).toMatchObject({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'group must be 1-255 characters',
    })
    expect(() =>
      call(
        guarded(() => {
          throw new TypeError('bug')
        }),
      ),
    ).toThrow('bug')
  })

  it('answers a rejected promise the way it answers a throw', async () => {
    const rejects =
      (err: Error): RequestHandler =>
      () =>
        Promise.reject(err)
    await expect(
      call(guarded(rejects(new EngineError('ARGUMENT_INVALID', 'group "a b" contains illegal characters')))),
    ).resolves.toMatchObject({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'group "a b" contains illegal characters',
    })
    await expect(
      call(guarded(rejects(new RequestError('no such message', RESPONSE_CODE.QUERY_NOT_FOUND)))),
    ).resolves.toMatchObject({ code: RESPONSE_CODE.QUERY_NOT_FOUND, remark: 'no such message' })
    await expect(call(guarded(rejects(new TypeError('bug'))))).rejects.toThrow('bug')
  })

  it('guardedSync answers throws and hands the promise back untouched', async () => {
    const answer = Promise.resolve(createRequest(0))
    expect(call(guardedSync(() => answer))).toBe(answer)
    const failed = Promise.reject(new EngineError('ARGUMENT_INVALID', 'x'))
    const returned = call(guardedSync(() => failed))
    expect(returned).toBe(failed)
    await expect(returned).rejects.toThrow('x')
    expect(
      call(
        guardedSync(() => {
          throw new RequestError('refused', RESPONSE_CODE.NO_PERMISSION)
        }),
      ),
    ).toMatchObject({ code: RESPONSE_CODE.NO_PERMISSION, remark: 'refused' })
  })
})

describe('answerAdminError', () => {
  it('maps engine refusals to RocketMQ codes and answers anything else SYSTEM_ERROR with a log line', async () => {
    const logs: string[] = []
    const answer = answerAdminError((m) => logs.push(m))
    const answerTo = (err: Error) =>
      call(guarded(() => Promise.reject(err), answer)) as Promise<RemotingCommand>
    const cases: [Error, number][] = [
      [new RequestError('the custom field <topic> is null'), RESPONSE_CODE.SYSTEM_ERROR],
      [new EngineError('ARGUMENT_INVALID', 'a'), RESPONSE_CODE.INVALID_PARAMETER],
      [new EngineError('OFFSET_OUT_OF_RANGE', 'b'), RESPONSE_CODE.INVALID_PARAMETER],
      [new EngineError('STORE_CLOSED', 'c'), RESPONSE_CODE.SERVICE_NOT_AVAILABLE],
    ]
    for (const [err, code] of cases) expect(await answerTo(err)).toMatchObject({ code, remark: err.message })
    expect(logs).toEqual([])
    expect(await answerTo(new TypeError('bug'))).toMatchObject({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'bug',
    })
    expect(logs).toEqual([expect.stringMatching(/^request code 11 failed: TypeError: bug/)])
  })
})
