// Path segments of the console's URLs: topics like %DLQ%group travel encoded (%25DLQ%25group). Next 16 hands
// pages their params still encoded but route handlers theirs already decoded, so a route handler that decoded
// again would turn a topic "a%41" into "aA"; route handlers therefore read the segments from the request URL.
import 'server-only'

/** A page's param: decodeURIComponent, or the text as given when it is not a valid encoding. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The decoded segments of a request URL's path: /api/c/x/topics/%25DLQ%25g → ['api', 'c', 'x', 'topics', '%DLQ%g']. */
export function requestPathSegments(url: string): string[] {
  return new URL(url).pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodePathSegment)
}
