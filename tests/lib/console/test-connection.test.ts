// The Clusters page's "test connection" for typed-in NameServer addresses: a reachable NameServer, a closed port,
// and addresses that are not host:port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors'
import { testClusterConnection } from '@/lib/console/test-connection'
import { freePort } from '../../helpers/free-port'
import { startConsoleFixture, type ConsoleFixture } from './console-fixture'

let f: ConsoleFixture

beforeAll(async () => {
  f = await startConsoleFixture()
})

afterAll(async () => {
  await f?.close()
})

describe('testClusterConnection', () => {
  it('reports a reachable NameServer with its round trip', async () => {
    const result = await testClusterConnection({ namesrvAddrs: f.broker.namesrvAddr! })
    expect(result.reachable).toBe(true)
    expect(result.nameServers).toEqual([
      expect.objectContaining({ addr: f.broker.namesrvAddr, reachable: true }),
    ])
    expect(result.nameServers[0]!.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('reports each unreachable address without throwing', async () => {
    // A free port: bound, then released, so nothing listens there.
    const dead = `127.0.0.1:${await freePort()}`
    const result = await testClusterConnection({ namesrvAddrs: `${dead};${f.broker.namesrvAddr!}` })
    expect(result.reachable).toBe(true)
    expect(result.nameServers.find((ns) => ns.addr === dead)).toMatchObject({ reachable: false })
    const onlyDead = await testClusterConnection({ namesrvAddrs: dead })
    expect(onlyDead.reachable).toBe(false)
    expect(onlyDead.nameServers[0]!.error).toMatch(/\w/)
  })

  it('refuses addresses that are not host:port', async () => {
    await expect(testClusterConnection({ namesrvAddrs: 'not an address' })).rejects.toSatisfy(
      (err) => err instanceof AppError && err.code === 'VALIDATION_FAILED',
    )
  })
})
