// Dynamic route segments as the console means them. Links encode segments with encodeURIComponent; whether Next
// hands them over decoded depends on the version and the route kind, so decode once and keep the raw text when it
// is not valid percent-encoding (a topic like "%DLQ%orders" that was already decoded).
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
