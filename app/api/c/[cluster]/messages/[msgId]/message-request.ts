// What both /api/c/<cluster>/messages/<msgId> routes read first: the cluster's gateway, the message id and the
// search params, taken from the request URL (path-segment.ts says why not from `params`).
import 'server-only'
import type { ClusterGateway } from '@/lib/cluster/gateway'
import { consoleContext } from '@/lib/console/console-context'
import { requestPathSegments } from '@/lib/console/path-segment'

export interface MessageRequest {
  readonly cluster: string
  readonly msgId: string
  readonly searchParams: URLSearchParams
}

/** The cluster and message id of `/api/c/<cluster>/messages/<msgId>[/body]`; never throws. */
export function messageRequest(request: Request): MessageRequest {
  const [, , cluster = '', , msgId = ''] = requestPathSegments(request.url)
  return { cluster, msgId, searchParams: new URL(request.url).searchParams }
}

/** The request's cluster gateway; AppError NOT_FOUND for an unknown cluster. */
export async function gatewayOf(req: MessageRequest): Promise<ClusterGateway> {
  return (await consoleContext(req.cluster)).gateway
}
