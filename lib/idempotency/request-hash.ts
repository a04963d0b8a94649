// The fingerprint of a request, to tell "the same intent again" from "a different request reusing a key":
// sha256 over canonical JSON (object keys sorted at every depth, so key order never changes the hash).
import 'server-only'
import { createHash } from 'node:crypto'

/** JSON with object keys sorted recursively; undefined members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    const sorted: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k]
    return sorted
  })
}

/** Hex sha256 of `value`'s canonical JSON. */
export function requestHash(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value) ?? 'undefined')
    .digest('hex')
}
