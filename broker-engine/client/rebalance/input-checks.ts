// Small checks on untrusted input shared by the rebalance modules: text that has one UTF-8 form, and arrays.

/** Matches a lone UTF-16 surrogate, which has no UTF-8 form (Java and Node would encode it differently). */
const LONE_SURROGATE = /\p{Surrogate}/u

/** True for a string without lone surrogates, so that its UTF-8 bytes (and any hash of them) are unambiguous. */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value)
}

/** Array.isArray without narrowing: as a type guard it turns a `readonly T[]` into `any[]`. */
export function isArray(value: unknown): boolean {
  return Array.isArray(value)
}
