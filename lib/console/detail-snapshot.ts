// One topic's or group's detail by name: the name validated, then one cached read per name and cluster that every
// viewer and refresh within the TTL shares (the detail pages poll every few seconds, often from several tabs).
import 'server-only'
import { z } from 'zod'
import type { ConsoleContext } from './console-context'
import { cachedSnapshot } from './snapshot-cache'

const detailName = z.string().trim().min(1).max(255)

export async function detailSnapshot<T>(
  ctx: ConsoleContext,
  kind: 'topic' | 'group',
  name: string,
  ttlMs: number,
  load: (ctx: ConsoleContext, name: string, nowMs: number) => Promise<T>,
): Promise<T> {
  const valid = detailName.parse(name)
  const snapshot = await cachedSnapshot(ctx.cluster, `${kind}:${valid}`, ttlMs, () =>
    load(ctx, valid, Date.now()),
  )
  return snapshot.value
}
