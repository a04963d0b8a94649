// zod pieces for the console's URL search params (the messages and DLQ browse pages): forms submit empty fields,
// times must say their zone, filters are bounded text. Field errors come back named after the URL params.
import 'server-only'
import { z } from 'zod'
import type { MessageFilter } from '@/lib/cluster/gateway'

/** An empty or whitespace-only param counts as absent (forms submit empty fields). */
export const optionalText = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional())

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i

/**
 * An instant: epoch milliseconds, or ISO 8601 with an explicit offset. A bare local time is refused: which zone
 * it meant is exactly the bug users of the other consoles keep reporting.
 */
export function parseInstant(text: string): number | undefined {
  const t = text.trim()
  if (/^\d{1,16}$/.test(t)) return Number(t)
  if (!ISO_WITH_OFFSET.test(t)) return undefined
  const ms = Date.parse(t)
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

export const instant = optionalText(
  z.string().refine((v) => parseInstant(v) !== undefined, {
    message: 'a time is epoch milliseconds or ISO 8601 with an offset (2026-11-28T07:41:03+01:00)',
  }),
).transform((v) => (v === undefined ? undefined : parseInstant(v)!))

export const boundedInt = (fallback: number, cap: number) =>
  optionalText(z.string().regex(/^\d{1,9}$/, 'a whole number')).transform((v) =>
    v === undefined ? fallback : Math.max(1, Math.min(cap, Number(v))),
  )

export const filterText = (label: string) =>
  optionalText(
    z
      .string()
      .max(1024, `${label} is longer than 1024 characters`)
      .refine((v) => !/[\u0000\u0001\u0002]/.test(v), `${label} contains a control character`),
  )

/** Writes a message filter as the URL params both scans read it from: fTag, fKey, fProp (name or name=value), fBody. */
export function setFilterParams(
  set: (name: string, value: string | undefined) => void,
  filter: MessageFilter,
): void {
  set('fTag', filter.tag)
  set('fKey', filter.key)
  if (filter.property) {
    const { name, value } = filter.property
    set('fProp', value === undefined ? name : `${name}=${value}`)
  }
  set('fBody', filter.bodyContains)
}

/** The message-filter params both scans take: fTag, fKey, fProp (name or name=value), fBody. */
export const filterParamsShape = {
  fTag: filterText('tag filter'),
  fKey: filterText('key filter'),
  fProp: filterText('property filter').refine((v) => v === undefined || !v.startsWith('='), {
    message: 'a property filter is name or name=value',
  }),
  fBody: filterText('body filter'),
}

/** A scan cursor as the gateway issues them (opaque, URL-safe). */
export const cursorParam = optionalText(
  z
    .string()
    .max(16_384, 'the cursor is too long')
    .regex(/^[A-Za-z0-9_-]+$/, 'the cursor is not one this server issued'),
)
