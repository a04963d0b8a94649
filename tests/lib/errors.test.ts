// lib/errors.ts: every kind of failure below the app layer maps to one closed code, with no stack leaking.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { EngineError, StoreCorruptionError } from '@/broker-engine/index'
import { AppError, ERROR_CODES, HTTP_STATUS_OF, toAppError } from '@/lib/errors'
import type * as ErrorsModule from '@/lib/errors'

/** Shaped like Prisma's PrismaClientKnownRequestError, which only lib/db.ts may import. */
function prismaKnownRequestError(code: string, meta?: Record<string, unknown>): Error {
  return Object.assign(new Error(`Invalid prisma.x.create() invocation: ${code}`), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta,
    clientVersion: '6.19.3',
  })
}

describe('toAppError', () => {
  it('passes an AppError through unchanged', () => {
    const appError = toAppError(new ZodErrorFactory().topic())
    expect(toAppError(appError)).toBe(appError)
  })

  it('maps a zod error to VALIDATION_FAILED with per-field messages', () => {
    const schema = z.object({ topic: z.string().min(1, 'Topic is required'), size: z.number().int() })
    const result = schema.safeParse({ topic: '', size: 1.5 })
    expect(result.success).toBe(false)
    const appError = toAppError(result.error)
    expect(appError.code).toBe('VALIDATION_FAILED')
    expect(appError.message).toBe('topic: Topic is required')
    expect(appError.fieldErrors).toEqual({ topic: ['Topic is required'], size: [expect.any(String)] })
  })

  it('maps Prisma P2002 to CONFLICT and P2025 to NOT_FOUND by code, other P-codes to INTERNAL', () => {
    const conflict = toAppError(prismaKnownRequestError('P2002', { target: ['key'] }))
    expect(conflict.code).toBe('CONFLICT')
    expect(conflict.details).toEqual({ prismaCode: 'P2002', target: ['key'] })
    expect(toAppError(prismaKnownRequestError('P2025')).code).toBe('NOT_FOUND')
    const other = toAppError(prismaKnownRequestError('P1001'))
    expect(other.code).toBe('INTERNAL')
    expect(other.message).not.toContain('prisma')
  })

  it('maps every engine error code', () => {
    expect(toAppError(new EngineError('TOPIC_INVALID', 'bad topic')).code).toBe('VALIDATION_FAILED')
    expect(toAppError(new EngineError('OFFSET_OUT_OF_RANGE', 'too far')).code).toBe('VALIDATION_FAILED')
    expect(toAppError(new EngineError('STORE_CLOSED', 'closed')).code).toBe('SERVICE_UNAVAILABLE')
    expect(toAppError(new EngineError('STORE_LOCKED', 'locked')).code).toBe('SERVICE_UNAVAILABLE')
    expect(toAppError(new EngineError('CONFIG_INVALID', 'bad key')).code).toBe('CONFIG_INVALID')
    const corrupt = toAppError(new StoreCorruptionError('/s/commitlog/00000000000000000000', 4096, 'bad CRC'))
    expect(corrupt.code).toBe('STORE_CORRUPT')
    expect(corrupt.message).toContain('offset 4096')
    expect(corrupt.details).toMatchObject({ engineCode: 'STORE_CORRUPT', fileOffset: 4096 })
  })

  it('recognises an engine error from another bundled copy of the engine (no shared class)', () => {
    const foreign = Object.assign(new Error('queue 99 out of range'), {
      name: 'EngineError',
      code: 'QUEUE_ID_INVALID',
    })
    expect(toAppError(foreign).code).toBe('VALIDATION_FAILED')
  })

  it('does not mistake a Node system error for an engine error', () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', errno: -2 })
    const appError = toAppError(enoent)
    expect(appError.code).toBe('INTERNAL')
    expect(appError.message).not.toContain('ENOENT')
    expect(appError.cause).toBe(enoent)
  })

  it('maps failed PutMessageResult values by status', () => {
    expect(toAppError({ status: 'MESSAGE_ILLEGAL', reason: 'body too large' }).code).toBe('VALIDATION_FAILED')
    expect(toAppError({ status: 'PROPERTIES_SIZE_EXCEEDED', reason: 'x' }).code).toBe('VALIDATION_FAILED')
    const full = toAppError({ status: 'CREATE_MAPPED_FILE_FAILED', reason: 'ENOSPC' })
    expect(full.code).toBe('SERVICE_UNAVAILABLE')
    expect(full.message).toContain('CREATE_MAPPED_FILE_FAILED')
    expect(toAppError({ status: 'SERVICE_NOT_AVAILABLE', reason: 'read only' }).code).toBe(
      'SERVICE_UNAVAILABLE',
    )
    expect(toAppError({ status: 'OS_PAGE_CACHE_BUSY', reason: 'busy' }).code).toBe('SERVICE_UNAVAILABLE')
    expect(toAppError({ status: 'UNKNOWN_ERROR', reason: '?' }).code).toBe('INTERNAL')
    expect(toAppError({ status: 'PUT_OK', reason: 'not a failure' }).code).toBe('INTERNAL')
  })

  it('maps anything else to INTERNAL with a generic message and no stack in its JSON', () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', 42, null, undefined]) {
      const appError = toAppError(thrown)
      expect(appError.code).toBe('INTERNAL')
      const json = JSON.stringify(appError)
      expect(json).not.toContain('stack')
      expect(json).not.toContain('x is undefined')
      expect(JSON.parse(json)).toEqual({ code: 'INTERNAL', message: appError.message })
    }
  })

  it('has an HTTP status for every code', () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400)
    expect(new AppError('NOT_FOUND', 'gone')).toBeInstanceOf(Error)
  })
})

class ZodErrorFactory {
  topic(): unknown {
    return z.object({ topic: z.string().min(1) }).safeParse({ topic: '' }).error
  }
}

describe('AppError across module copies', () => {
  it('is an AppError to every copy of lib/errors.ts, as when Next bundles instrumentation.ts apart', async () => {
    // A query makes the module runner load a second, separate instance of the module.
    const secondCopy = '@/lib/errors?second-copy'
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof ErrorsModule
    expect(copy.AppError).not.toBe(AppError)
    const foreign = new copy.AppError('NOT_FOUND', 'no such topic', { fieldErrors: { topic: ['unknown'] } })
    expect(foreign instanceof AppError).toBe(true)
    expect(toAppError(foreign)).toBe(foreign)
    expect(toAppError(foreign).toJSON()).toEqual({
      code: 'NOT_FOUND',
      message: 'no such topic',
      fieldErrors: { topic: ['unknown'] },
    })
    expect(new Error('plain') instanceof AppError).toBe(false)
    expect(
      Object.assign(new Error('look-alike'), { name: 'AppError', code: 'NOT_FOUND' }) instanceof AppError,
    ).toBe(false)
  })
})
