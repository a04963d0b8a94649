// The body of the batch create calls, UPDATE_AND_CREATE_TOPIC_LIST (18) and UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST
// (225): `{"<listKey>":[bean…]}`, read into its entries (at most CONFIG_BATCH_COUNT_MAX), and the wording that
// names the entry a refusal is about.

import { CONFIG_BATCH_COUNT_MAX } from '../../../broker/versioned-config-table'
import { isFastjsonObject, parseFastjson, type FastjsonObject, type FastjsonValue } from '../../fastjson'
import type { RemotingCommand } from '../../remoting-command'
import { RequestError } from '../../request-fields'
import { invalid } from './admin-context'

/** The list's entries, each a JSON object; anything else is refused as INVALID_PARAMETER. */
export function parseConfigListBody(
  request: RemotingCommand,
  listKey: string,
  beanName: string,
): FastjsonObject[] {
  const expected = `the body must be {"${listKey}":[${beanName}…]}`
  const text = request.body?.toString('utf8') ?? ''
  if (text.trim() === '') throw invalid(expected)
  let parsed: FastjsonValue
  try {
    parsed = parseFastjson(text)
  } catch (err) {
    throw invalid(`the body is not JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!isFastjsonObject(parsed)) throw invalid(expected)
  const list = parsed[listKey]
  if (!Array.isArray(list)) throw invalid(`${expected}; ${listKey} is missing or not a list`)
  if (list.length > CONFIG_BATCH_COUNT_MAX)
    throw invalid(`at most ${CONFIG_BATCH_COUNT_MAX} entries per ${listKey}; got ${list.length}`)
  const entries: FastjsonObject[] = []
  list.forEach((entry, index) => {
    if (!isFastjsonObject(entry)) throw invalid(`${listKey}[${index}] is not a ${beanName} object`)
    entries.push(entry)
  })
  return entries
}

/**
 * Runs `read` for the list's entry `index`; a RequestError it throws is re-worded to name the entry as the
 * engine's batch errors do (`topic entry 3 ("T"): …`), so the caller can find the bad one among thousands.
 */
export function readEntry<T>(entryKind: string, index: number, name: unknown, read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (!(err instanceof RequestError)) throw err
    throw new RequestError(
      `${entryKind} entry ${index} (${JSON.stringify(String(name))}): ${err.message}`,
      err.code,
    )
  }
}
