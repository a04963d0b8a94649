// Reading and building the console's cluster-scoped paths (/c/<cluster>/<section>/...), shared by the nav and
// the cluster switcher so both agree on what "the current section" is.

export const SECTIONS = [
  { section: '', label: 'Overview' },
  { section: 'topics', label: 'Topics' },
  { section: 'groups', label: 'Groups' },
  { section: 'messages', label: 'Messages' },
  { section: 'dlq', label: 'DLQ' },
  { section: 'producers', label: 'Producers' },
  { section: 'transactions', label: 'Transactions' },
] as const

export type Section = (typeof SECTIONS)[number]['section']

/** `/c/a%20b/topics/x` → { cluster: 'a b', section: 'topics' }; undefined outside /c/. */
export function parseConsolePath(pathname: string): { cluster: string; section: Section } | undefined {
  const match = /^\/c\/([^/]+)(?:\/([^/]+))?/.exec(pathname)
  if (!match) return undefined
  let cluster: string
  try {
    cluster = decodeURIComponent(match[1]!)
  } catch {
    return undefined
  }
  const known = SECTIONS.find((s) => s.section === (match[2] ?? ''))
  return { cluster, section: known ? known.section : '' }
}

/** The path of `section` on `cluster`: switching clusters keeps the section, not the detail (it may not exist). */
export function sectionPath(cluster: string, section: Section): string {
  const base = `/c/${encodeURIComponent(cluster)}`
  return section === '' ? base : `${base}/${section}`
}

/** The console path of a topic (segments encoded: %DLQ%g must round-trip). */
export function topicPath(cluster: string, topic: string): string {
  return `/c/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(topic)}`
}

/** The console path of a consumer group. */
export function groupPath(cluster: string, group: string): string {
  return `/c/${encodeURIComponent(cluster)}/groups/${encodeURIComponent(group)}`
}
