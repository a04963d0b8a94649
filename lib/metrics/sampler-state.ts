// What the sampler remembers about a cluster between passes: each topic's last offset sum (topic PUT_TPS is the
// change of Σ max offsets over time), the last DLQ counts read, the round-robin cursors, the topic list and
// which sparse series were non-zero. Kept on globalThis per cluster id, because Next loads modules more than
// once per process and the job must keep its baselines across those copies.
import 'server-only'
import type { TopicKind } from '@/lib/cluster/gateway'

export interface TopicRate {
  /** Σ max queue offset over the topic's queues, when last read completely. */
  offsetSum: number
  /** When that sum was read (the sampler's clock). */
  atMs: number
  /** Messages per second between the two latest complete reads; 0 until there are two. */
  tps: number
}

export interface SamplerState {
  readonly topicRates: Map<string, TopicRate>
  /** group → messages held in %DLQ%<group> at its last visit. */
  readonly dlqMessages: Map<string, number>
  /** `scope name metric` keys of the sparse series the previous pass wrote non-zero. */
  nonZeroLastPass: Set<string>
  topicList: { readonly topics: readonly ListedTopic[]; readonly fetchedAtMs: number } | undefined
  /** Where the next pass's round-robin continues in the sorted lists of idle topics and DLQ topics. */
  idleCursor: number
  dlqCursor: number
}

export interface ListedTopic {
  readonly topic: string
  readonly kind: TopicKind
}

export function newSamplerState(): SamplerState {
  return {
    topicRates: new Map(),
    dlqMessages: new Map(),
    nonZeroLastPass: new Set(),
    topicList: undefined,
    idleCursor: 0,
    dlqCursor: 0,
  }
}

const g = globalThis as unknown as { __mqdeckSamplerStates?: Map<string, SamplerState> }

function states(): Map<string, SamplerState> {
  return (g.__mqdeckSamplerStates ??= new Map<string, SamplerState>())
}

/** The process-wide state of one cluster's sampler, created on first use. */
export function samplerStateOf(cluster: string): SamplerState {
  let state = states().get(cluster)
  if (!state) states().set(cluster, (state = newSamplerState()))
  return state
}

/** Drops the state of clusters no longer sampled (a removed connection). */
export function forgetSamplerStates(keep: ReadonlySet<string>): void {
  for (const cluster of states().keys()) if (!keep.has(cluster)) states().delete(cluster)
}
