// Consumer client ids (RocketMQ's `ip@instanceName[@unitName]`) as allocation takes them: validation and the
// sorted order (Collections.sort, Java String order) every member of a group must agree on.

import { EngineError } from '../../common/engine-error'
import { isArray, isWellFormedText } from './input-checks'
import { compareJavaStrings } from './message-queue'

/** Real client ids are a few dozen chars; the bound keeps a hash ring of 10,000 of them small. */
export const CLIENT_ID_LENGTH_MAX = 255
/** The most consumers one allocation takes. */
export const CLIENT_IDS_MAX = 10_000

/** Throws ARGUMENT_INVALID unless `clientId` is a usable client id; `label` names it in the message. */
export function validateClientId(clientId: unknown, label: string): asserts clientId is string {
  if (
    typeof clientId !== 'string' ||
    clientId.length === 0 ||
    clientId.length > CLIENT_ID_LENGTH_MAX ||
    !isWellFormedText(clientId)
  ) {
    throw new EngineError(
      'ARGUMENT_INVALID',
      `${label} must be a client id of 1-${CLIENT_ID_LENGTH_MAX} chars of well-formed text`,
      { clientId },
    )
  }
}

/**
 * A sorted copy of `clientIds`, in the order every allocation strategy expects cidAll in. Validates each id and
 * rejects duplicates: with two entries for one client, each member would compute a different split.
 */
export function sortClientIds(clientIds: readonly string[]): string[] {
  if (!isArray(clientIds)) throw new EngineError('ARGUMENT_INVALID', 'clientIds must be an array')
  if (clientIds.length > CLIENT_IDS_MAX) {
    throw new EngineError('ARGUMENT_INVALID', `at most ${CLIENT_IDS_MAX} client ids; got ${clientIds.length}`)
  }
  clientIds.forEach((id, i) => validateClientId(id, `clientIds[${i}]`))
  const sorted = clientIds.slice().sort(compareJavaStrings)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1] === sorted[i]) {
      throw new EngineError('ARGUMENT_INVALID', `duplicate client id ${sorted[i]}`, { clientId: sorted[i] })
    }
  }
  return sorted
}
