// The DLQ pages' URLs, shared by the server pages (first paint) and the client views (live queries, links), so
// both key the same JSON route URL. Path segments are encoded: groups may hold '%' and the topic is %DLQ%<group>.

/** /c/<cluster>/dlq */
export function dlqListPath(cluster: string): string {
  return `/c/${encodeURIComponent(cluster)}/dlq`
}

/** /c/<cluster>/dlq/<group>: the group's DLQ browse page. */
export function dlqBrowsePath(cluster: string, group: string): string {
  return `${dlqListPath(cluster)}/${encodeURIComponent(group)}`
}

/** The group's DLQ topic, as RocketMQ names it. */
export function dlqTopicName(group: string): string {
  return `%DLQ%${group}`
}

/** A message's detail page; `topic` tells it where to look (a DLQ copy's offset id resolves anyway). */
export function messageDetailPath(cluster: string, msgId: string, topic: string | undefined): string {
  const base = `/c/${encodeURIComponent(cluster)}/messages/${encodeURIComponent(msgId)}`
  return topic === undefined ? base : `${base}?topic=${encodeURIComponent(topic)}`
}

/**
 * `/api/c/<cluster>/dlq/messages?<the page's search params>&group=<group>`: the browse page's JSON route. The page's
 * `job` param (the resend job panel) is not part of the browse, so opening or closing the panel reads nothing.
 */
export function dlqMessagesApiUrl(cluster: string, group: string, search: string): string {
  const params = new URLSearchParams(search)
  params.delete('job')
  params.set('group', group)
  return `/api/c/${encodeURIComponent(cluster)}/dlq/messages?${params.toString()}`
}

/** `/api/c/<cluster>/dlq/groups<search>`: the DLQ list page's JSON route. */
export function dlqGroupsApiUrl(cluster: string, search: string): string {
  return `/api/c/${encodeURIComponent(cluster)}/dlq/groups${search}`
}

/** A resend job's progress and one page of its per-message results. */
export function dlqJobApiUrl(
  cluster: string,
  jobId: string,
  page: number,
  pageSize: number,
  status?: string,
): string {
  const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) })
  if (status) params.set('status', status)
  return `/api/c/${encodeURIComponent(cluster)}/dlq/jobs/${encodeURIComponent(jobId)}?${params.toString()}`
}

/** POST here for a JSON or CSV export of a selection or a range. */
export function dlqExportApiUrl(cluster: string): string {
  return `/api/c/${encodeURIComponent(cluster)}/dlq/export`
}
