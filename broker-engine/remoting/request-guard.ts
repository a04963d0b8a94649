// Turning a handler's request-level failures (a RequestError, an engine refusal) into error responses instead of
// letting them reach the connection's catch-all, thrown or rejected alike. Each processor family has its
// ErrorAnswer: the client processors answer every refusal SYSTEM_ERROR, the admin and NameServer processors map
// the engine's refusals to RocketMQ's codes.

import { EngineError } from '../common/engine-error'
import { RESPONSE_CODE } from './remoting-codes'
import { createResponse, type RemotingCommand } from './remoting-command'
import type { RequestHandler } from './remoting-connection'
import { RequestError } from './request-fields'

/** The answer to a handler's failure, or undefined for a failure that is not the request's fault. */
export type ErrorAnswer = (request: RemotingCommand, err: unknown) => RemotingCommand | undefined

/** The client processors' error response: the code, the remark, and an empty custom header as Java sends. */
export function errorResponse(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponse(request, code, { remark, extFields: {} })
}

/**
 * The client processors: a RequestError with its code, any engine refusal as SYSTEM_ERROR. Anything else is a
 * bug and goes on to the connection, which logs it and answers SYSTEM_ERROR.
 */
export const answerClientError: ErrorAnswer = (request, err) => {
  if (err instanceof RequestError) return errorResponse(request, err.code, err.message)
  if (err instanceof EngineError) return errorResponse(request, RESPONSE_CODE.SYSTEM_ERROR, err.message)
  return undefined
}

/**
 * The admin and NameServer processors (AdminBrokerProcessor, DefaultRequestProcessor): a RequestError with its
 * code, an engine refusal of an argument as INVALID_PARAMETER, a closed store as SERVICE_NOT_AVAILABLE. Anything
 * else is logged with its stack and answered SYSTEM_ERROR, so no admin request ever goes unanswered.
 */
export function answerAdminError(log: (message: string) => void): ErrorAnswer {
  return (request, err) => {
    if (err instanceof RequestError) return createResponse(request, err.code, { remark: err.message })
    if (err instanceof EngineError) {
      switch (err.code) {
        case 'ARGUMENT_INVALID':
        case 'TOPIC_INVALID':
        case 'QUEUE_ID_INVALID':
        case 'OFFSET_OUT_OF_RANGE':
        case 'CONFIG_INVALID':
          return createResponse(request, RESPONSE_CODE.INVALID_PARAMETER, { remark: err.message })
        case 'STORE_CLOSED':
          return createResponse(request, RESPONSE_CODE.SERVICE_NOT_AVAILABLE, { remark: err.message })
        case 'STORE_LOCKED':
        case 'STORE_CORRUPT':
          break
      }
    }
    const message = err instanceof Error ? err.message : String(err)
    log(`request code ${request.code} failed: ${err instanceof Error ? (err.stack ?? message) : message}`)
    return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: message })
  }
}

function answerOrRethrow(answer: ErrorAnswer, request: RemotingCommand, err: unknown): RemotingCommand {
  const response = answer(request, err)
  if (response === undefined) throw err
  return response
}

/** Answers what `handler` throws or its promise rejects with through `answer`. */
export function guarded(handler: RequestHandler, answer: ErrorAnswer = answerClientError): RequestHandler {
  return (request, connection) => {
    let result: ReturnType<RequestHandler>
    try {
      result = handler(request, connection)
    } catch (err) {
      return answerOrRethrow(answer, request, err)
    }
    return result instanceof Promise
      ? result.catch((err: unknown) => answerOrRethrow(answer, request, err))
      : result
  }
}

/**
 * Answers only what `handler` throws, and returns its promise untouched: for SEND, whose promise never rejects
 * with a request error (BrokerController.sendMessage resolves every refusal as a value), so no message pays
 * for a catch handler.
 */
export function guardedSync(
  handler: RequestHandler,
  answer: ErrorAnswer = answerClientError,
): RequestHandler {
  return (request, connection) => {
    try {
      return handler(request, connection)
    } catch (err) {
      return answerOrRethrow(answer, request, err)
    }
  }
}
