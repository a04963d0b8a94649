// `npm run broker [-- -c broker.conf] [-n namesrvAddr]`: the engine as a standalone NameServer + broker, the way
// `mqnamesrv` and `mqbroker -c` start Apache RocketMQ. Prints one READY line with the addresses once serving,
// and shuts down gracefully on SIGTERM/SIGINT (held pulls answered, tables persisted, store flushed).

import fs from 'node:fs'
import {
  parseBrokerConf,
  parseJavaProperties,
  resolveBrokerConfig,
  type BrokerConfig,
} from '../broker/broker-config'
import { startStandaloneBroker } from './standalone-broker'

/** Keys of this process that are not RocketMQ broker keys. */
const STANDALONE_KEYS = new Set(['namesrvListenPort'])

const USAGE = `usage: npm run broker -- [-c broker.conf] [-n "host:port;host:port"]
  -c  a broker.conf (java properties with RocketMQ's keys: brokerClusterName, brokerName, listenPort,
      storePathRootDir, flushDiskType, autoCreateTopicEnable, transactionCheckInterval, ...);
      namesrvListenPort sets the port of the NameServer this process hosts (default 9876, 0 = any free port)
  -n  register with these NameServers instead of hosting one`

interface Args {
  readonly confFile?: string
  readonly namesrvAddr?: string
}

function parseArgs(argv: readonly string[]): Args {
  let confFile: string | undefined
  let namesrvAddr: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = argv[i + 1]
    if ((arg === '-c' || arg === '-n') && (value === undefined || value.startsWith('-')))
      throw new Error(`${arg} needs a value`)
    if (arg === '-c') confFile = argv[++i]
    else if (arg === '-n') namesrvAddr = argv[++i]
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE)
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  return { confFile, namesrvAddr }
}

function readConf(file: string | undefined): { config: Partial<BrokerConfig>; namesrvPort: number } {
  if (!file) return { config: {}, namesrvPort: 9876 }
  const text = fs.readFileSync(file, 'utf8')
  const parsed = parseBrokerConf(text)
  for (const key of parsed.unknownKeys)
    if (!STANDALONE_KEYS.has(key)) console.warn(`[mqdeck broker] ${file}: unknown key ${key} ignored`)
  const portText = parseJavaProperties(text)
    .find(([k]) => k === 'namesrvListenPort')?.[1]
    ?.trim()
  const namesrvPort = portText === undefined ? 9876 : Number(portText)
  if (!Number.isInteger(namesrvPort) || namesrvPort < 0 || namesrvPort > 65535)
    throw new Error(`namesrvListenPort must be a port from 0 to 65535; got ${JSON.stringify(portText)}`)
  return { config: parsed.config, namesrvPort }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const { config, namesrvPort } = readConf(args.confFile)
  const merged = { ...config, ...(args.namesrvAddr ? { namesrvAddr: args.namesrvAddr } : {}) }
  // Validates every key and range up front, naming the key that is wrong.
  const resolved = resolveBrokerConfig(merged)
  const standalone = await startStandaloneBroker({
    config: { ...merged, storePathRootDir: resolved.storePathRootDir },
    namesrvPort: resolved.namesrvAddr ? false : namesrvPort,
  })
  console.log(
    `READY namesrv=${standalone.namesrvAddr ?? resolved.namesrvAddr} broker=${standalone.brokerAddr} ` +
      `cluster=${resolved.brokerClusterName} brokerName=${resolved.brokerName} store=${resolved.storePathRootDir}`,
  )
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`[mqdeck broker] ${signal}: shutting down`)
    standalone.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`[mqdeck broker] shutdown failed: ${err instanceof Error ? err.message : String(err)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((err: unknown) => {
  console.error(`[mqdeck broker] ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
