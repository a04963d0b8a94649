// "Test connection" on the Clusters page: can the console reach these NameServers (before or after the connection
// is saved)? One listNameServers() call per address through a throw-away RemoteGateway.
import 'server-only'
import { z } from 'zod'
import type { NameServerStatus } from '@/lib/cluster/gateway'
import { getGateway } from '@/lib/cluster/registry'
import { RemoteGateway } from '@/lib/cluster/remote-gateway'
import { toAppError } from '@/lib/errors'

export const testConnectionInputSchema = z.union([
  z.object({ clusterId: z.string().trim().min(1).max(40) }),
  z.object({
    namesrvAddrs: z.string().trim().min(1, 'at least one NameServer address is needed').max(2_000),
    accessKey: z.string().trim().max(200).optional(),
    secretKey: z.string().max(200).optional(),
  }),
])

export type TestConnectionInput = z.input<typeof testConnectionInputSchema>

export interface TestConnectionResult {
  readonly nameServers: readonly NameServerStatus[]
  /** At least one NameServer answered. */
  readonly reachable: boolean
}

/** A saved cluster through its gateway, or typed-in addresses through a gateway made for this one test. */
export async function testClusterConnection(input: TestConnectionInput): Promise<TestConnectionResult> {
  try {
    const parsed = testConnectionInputSchema.parse(input)
    let nameServers: readonly NameServerStatus[]
    if ('clusterId' in parsed) {
      nameServers = await (await getGateway(parsed.clusterId)).listNameServers()
    } else {
      const gateway = new RemoteGateway({
        namesrvAddrs: parsed.namesrvAddrs,
        credentials:
          parsed.accessKey && parsed.secretKey
            ? { accessKey: parsed.accessKey, secretKey: parsed.secretKey }
            : undefined,
      })
      try {
        nameServers = await gateway.listNameServers()
      } finally {
        await gateway.close()
      }
    }
    return { nameServers, reachable: nameServers.some((ns) => ns.reachable) }
  } catch (err) {
    throw toAppError(err)
  }
}
