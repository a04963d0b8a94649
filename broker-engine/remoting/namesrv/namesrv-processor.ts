// The NameServer over remoting (RocketMQ's DefaultRequestProcessor/ClientRequestProcessor): request handlers that
// turn RouteRegistry answers into the wire shapes of PROTOCOL.md 2.6 and 2.10. The body layouts, the KV table,
// the settings and the connection bookkeeping live beside it in this folder.

import { dataVersionJson } from '../../broker/data-version'
import type { RouteRegistry } from '../../namesrv/route-registry'
import type { BrokerData, RegisterBrokerRequest } from '../../namesrv/route-types'
import { validateDataVersion } from '../../namesrv/route-validation'
import { EngineError } from '../../common/engine-error'
import { crc32 } from '../../store/crc32'
import { toFastjson } from '../fastjson-writer'
import { createResponse, type RemotingCommand } from '../remoting-command'
import { REQUEST_CODE, RESPONSE_CODE } from '../remoting-codes'
import type { RemotingConnection } from '../remoting-connection'
import type { RemotingServer } from '../remoting-server'
import { customFields, RequestError } from '../request-fields'
import { answerAdminError, guardedSync } from '../request-guard'
import { BrokerChannelTable } from './broker-channel-table'
import { KvConfigTable, NAMESPACE_ORDER_TOPIC_CONFIG } from './kv-config-table'
import {
  DEFAULT_NAMESRV_CONFIG,
  formatNamesrvConfig,
  parseNamesrvConfigUpdate,
  UPDATABLE_CONFIG_KEYS,
  CONFIG_BODY_BYTES_MAX,
  type NamesrvConfig,
} from './namesrv-config'
import { decodeRegisterBrokerBody, parseJsonBody } from './register-broker-body'

const { optionalBoolean, optionalInt32, optionalString, requiredLong, requiredString } = customFields

/** The remark RocketMQ puts after an unknown topic (FAQUrl.suggestTodo(APPLY_TOPIC_URL)). */
const APPLY_TOPIC_SUGGESTION = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.'

type NameServerHandler = (request: RemotingCommand, conn: RemotingConnection) => RemotingCommand

export interface NameServerProcessorOptions {
  readonly log?: (message: string) => void
  /** Shared KV config (e.g. with an in-process admin view); a fresh table by default. */
  readonly kvConfig?: KvConfigTable
  readonly namesrvConfig?: Partial<NamesrvConfig>
}

/** What registerNameServerProcessors leaves behind for the caller to inspect. */
export interface NameServerProcessors {
  readonly kvConfig: KvConfigTable
  /** The settings as they are now (UPDATE_NAMESRV_CONFIG may change the switches). */
  config(): Readonly<NamesrvConfig>
  /** Broker addresses registered over a still-open connection. */
  readonly trackedBrokerCount: number
}

/**
 * Registers the NameServer request codes on `server`. WIPE_WRITE_PERM_OF_BROKER (205) and
 * ADD_WRITE_PERM_OF_BROKER (327) are left out, so they answer REQUEST_CODE_NOT_SUPPORTED: RouteRegistry has no
 * way to change a broker name's queue perms.
 */
export function registerNameServerProcessors(
  server: RemotingServer,
  registry: RouteRegistry,
  options: NameServerProcessorOptions = {},
): NameServerProcessors {
  const log = options.log ?? ((m: string) => console.warn(`[mqdeck namesrv] ${m}`))
  const kvConfig = options.kvConfig ?? new KvConfigTable()
  const config: NamesrvConfig = { ...DEFAULT_NAMESRV_CONFIG, ...options.namesrvConfig }
  const channels = new BrokerChannelTable(registry, log)

  // Every handler answers synchronously: only thrown refusals need answering.
  const answerError = answerAdminError(log)
  const on = (code: number, handler: NameServerHandler): void =>
    server.register(code, guardedSync(handler, answerError))
  const success = (request: RemotingCommand, body?: Buffer): RemotingCommand =>
    createResponse(request, RESPONSE_CODE.SUCCESS, body ? { body } : {})

  on(REQUEST_CODE.REGISTER_BROKER, (request, conn) => {
    const { brokerName, brokerAddr, clusterName, brokerId } = brokerIdentity(request)
    // RocketMQ brokers always send haServerAddr; an empty one means "none" here, not an error.
    const haServerAddr = optionalString(request, 'haServerAddr')
    const bodyCrc32 = optionalInt32(request, 'bodyCrc32') ?? 0
    if (bodyCrc32 !== 0 && (crc32(request.body ?? Buffer.alloc(0)) & 0x7fff_ffff) !== bodyCrc32) {
      log(`REGISTER_BROKER from ${conn.remoteAddress}: crc32 not match`)
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: 'crc32 not match' })
    }
    const body = decodeRegisterBrokerBody(
      request.body,
      optionalBoolean(request, 'compressed') === true,
      request.version,
      registry.config.registrationTopicsMax,
    )
    const base = {
      clusterName,
      brokerAddr,
      brokerName,
      brokerId,
      ...(haServerAddr === undefined ? {} : { haServerAddr }),
      topicConfigs: body.topicConfigs,
      dataVersion: body.dataVersion,
    } as unknown as RegisterBrokerRequest
    // Additive unless configured otherwise; the registry wants a full registration from a broker it does not know.
    let result = registry.registerBroker({ ...base, incremental: !config.deleteTopicWithBrokerRegistration })
    if (result.status === 'FULL_REGISTRATION_REQUIRED')
      result = registry.registerBroker({ ...base, incremental: false })
    if (result.status !== 'REGISTERED') {
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, {
        remark: `register broker failed: ${result.reason}`,
      })
    }
    channels.registeredThrough(brokerAddr, conn)
    const extFields: Record<string, string> = {}
    if (result.haServerAddr !== undefined) extFields.haServerAddr = result.haServerAddr
    if (result.masterAddr !== undefined) extFields.masterAddr = result.masterAddr
    const orderTopicConfig = config.returnOrderTopicConfigToBroker
      ? kvConfig.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG)
      : undefined
    return createResponse(request, RESPONSE_CODE.SUCCESS, {
      extFields,
      ...(orderTopicConfig ? { body: jsonBody({ table: orderTopicConfig }) } : {}),
    })
  })

  on(REQUEST_CODE.UNREGISTER_BROKER, (request) => {
    const { brokerName, brokerAddr, clusterName, brokerId } = brokerIdentity(request)
    if (registry.unregisterBroker(clusterName, brokerAddr, brokerName, brokerId)) channels.forget(brokerAddr)
    return success(request)
  })

  on(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, (request) => {
    const topic = requiredString(request, 'topic')
    let route
    try {
      route = registry.getRouteInfoByTopic(topic)
    } catch (err) {
      // A name no topic can have has no route: answered like any unknown topic, as RocketMQ does.
      if (!(err instanceof EngineError)) throw err
    }
    if (!route) {
      return createResponse(request, RESPONSE_CODE.TOPIC_NOT_EXIST, {
        remark: `No topic route info in name server for the topic: ${topic}${APPLY_TOPIC_SUGGESTION}`,
      })
    }
    const orderTopicConf = config.orderMessageEnable
      ? kvConfig.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic)
      : undefined
    // Always the standard-JSON form (quoted "0" keys), which every client version reads (PROTOCOL.md 2.10).
    return success(
      request,
      jsonBody({
        brokerDatas: route.brokerDatas.map(brokerDataJson),
        filterServerTable: {},
        ...(orderTopicConf === undefined ? {} : { orderTopicConf }),
        queueDatas: route.queueDatas,
      }),
    )
  })

  on(REQUEST_CODE.GET_BROKER_CLUSTER_INFO, (request) => {
    const info = registry.getClusterInfo()
    const brokerAddrTable: Record<string, unknown> = {}
    for (const [name, data] of Object.entries(info.brokerAddrTable))
      brokerAddrTable[name] = brokerDataJson(data)
    return success(request, jsonBody({ brokerAddrTable, clusterAddrTable: info.clusterAddrTable }))
  })

  on(REQUEST_CODE.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, (request) => {
    if (!config.enableAllTopicList)
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: 'disable' })
    return success(request, jsonBody(registry.getAllTopicList()))
  })

  on(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV, (request) => {
    const topic = requiredString(request, 'topic')
    const clusterName = optionalString(request, 'clusterName')
    registry.deleteTopic(topic, clusterName === undefined ? undefined : { clusterName })
    return success(request)
  })

  on(REQUEST_CODE.GET_TOPICS_BY_CLUSTER, (request) => {
    const cluster = requiredString(request, 'cluster')
    if (!config.enableTopicList)
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: 'disable' })
    return success(request, jsonBody(registry.getTopicsByCluster(cluster)))
  })

  on(REQUEST_CODE.GET_SYSTEM_TOPIC_LIST_FROM_NS, (request) =>
    success(request, jsonBody(registry.getSystemTopicList())),
  )

  on(REQUEST_CODE.PUT_KV_CONFIG, (request) => {
    const result = kvConfig.putKVConfig(
      requiredString(request, 'namespace'),
      requiredString(request, 'key'),
      requiredString(request, 'value'),
    )
    if (result.status === 'LIMIT_EXCEEDED') {
      return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: result.reason })
    }
    return success(request)
  })

  on(REQUEST_CODE.GET_KV_CONFIG, (request) => {
    const namespace = requiredString(request, 'namespace')
    const key = requiredString(request, 'key')
    const value = kvConfig.getKVConfig(namespace, key)
    if (value === undefined) {
      return createResponse(request, RESPONSE_CODE.QUERY_NOT_FOUND, {
        remark: `No config item, Namespace: ${namespace} Key: ${key}`,
      })
    }
    return createResponse(request, RESPONSE_CODE.SUCCESS, { extFields: { value } })
  })

  on(REQUEST_CODE.DELETE_KV_CONFIG, (request) => {
    kvConfig.deleteKVConfig(requiredString(request, 'namespace'), requiredString(request, 'key'))
    return success(request)
  })

  on(REQUEST_CODE.GET_KVLIST_BY_NAMESPACE, (request) => {
    const namespace = requiredString(request, 'namespace')
    const table = kvConfig.getKVListByNamespace(namespace)
    if (!table) {
      return createResponse(request, RESPONSE_CODE.QUERY_NOT_FOUND, {
        remark: `No config item, Namespace: ${namespace}`,
      })
    }
    return success(request, jsonBody({ table }))
  })

  on(REQUEST_CODE.GET_NAMESRV_CONFIG, (request) => {
    const text = formatNamesrvConfig(config, server.port, registry.config.scanNotActiveBrokerIntervalMs)
    return success(request, Buffer.from(text, 'utf8'))
  })

  on(REQUEST_CODE.UPDATE_NAMESRV_CONFIG, (request, conn) => {
    if (!request.body) return success(request)
    if (request.body.length > CONFIG_BODY_BYTES_MAX) {
      return createResponse(request, RESPONSE_CODE.INVALID_PARAMETER, {
        remark: `config body exceeds ${CONFIG_BODY_BYTES_MAX} bytes`,
      })
    }
    const update = parseNamesrvConfigUpdate(request.body.toString('utf8'))
    if (update.status === 'REFUSED') {
      return createResponse(request, RESPONSE_CODE.NO_PERMISSION, {
        remark: `Can not update config ${update.keys.join(', ')}: only ${UPDATABLE_CONFIG_KEYS.join(', ')} can change at runtime`,
      })
    }
    if (update.status === 'INVALID') {
      return createResponse(request, RESPONSE_CODE.INVALID_PARAMETER, {
        remark: `config ${update.key} must be true or false; got ${JSON.stringify(update.value)}`,
      })
    }
    const { updates } = update
    for (const [key, value] of updates) config[key] = value
    log(`namesrv config updated by ${conn.remoteAddress}: ${updates.map(([k, v]) => `${k}=${v}`).join(', ')}`)
    return success(request)
  })

  on(REQUEST_CODE.QUERY_DATA_VERSION, (request) => {
    const { brokerName, brokerAddr, clusterName, brokerId } = brokerIdentity(request)
    if (!request.body) throw new RequestError('QUERY_DATA_VERSION needs a DataVersion JSON body')
    const asked = validateDataVersion(parseJsonBody(request.body, 'DataVersion'), 'dataVersion')
    const live = registry
      .getBrokerLiveInfo()
      .find((row) => row.brokerAddr === brokerAddr && row.clusterName === clusterName)
    const changed =
      !live ||
      live.dataVersion.timestamp !== asked.timestamp ||
      live.dataVersion.counter !== asked.counter ||
      (live.dataVersion.stateVersion ?? 0) !== (asked.stateVersion ?? 0)
    if (live && !changed && live.brokerName === brokerName && live.brokerId === brokerId) {
      // RocketMQ counts an unchanged QUERY_DATA_VERSION as a heartbeat; an empty incremental registration with
      // the same version refreshes liveness and touches nothing else.
      registry.registerBroker({
        clusterName,
        brokerAddr,
        brokerName,
        brokerId,
        ...(live.haServerAddr === undefined ? {} : { haServerAddr: live.haServerAddr }),
        topicConfigs: [],
        dataVersion: live.dataVersion,
        incremental: true,
      })
    }
    return createResponse(request, RESPONSE_CODE.SUCCESS, {
      extFields: { changed: String(changed) },
      ...(live
        ? {
            body: jsonBody(
              dataVersionJson({ ...live.dataVersion, stateVersion: live.dataVersion.stateVersion ?? 0 }),
            ),
          }
        : {}),
    })
  })

  return {
    kvConfig,
    config: () => ({ ...config }),
    get trackedBrokerCount() {
      return channels.size
    },
  }
}

/** The broker a REGISTER_BROKER, UNREGISTER_BROKER or QUERY_DATA_VERSION header names. */
function brokerIdentity(request: RemotingCommand): {
  brokerName: string
  brokerAddr: string
  clusterName: string
  brokerId: number
} {
  return {
    brokerName: requiredString(request, 'brokerName'),
    brokerAddr: requiredString(request, 'brokerAddr'),
    clusterName: requiredString(request, 'clusterName'),
    brokerId: requiredLong(request, 'brokerId'),
  }
}

/** BrokerData as 5.x writes it; brokerAddrs keys come out as "0", which fastjson reads back as a Long. */
function brokerDataJson(data: BrokerData): Record<string, unknown> {
  return {
    brokerAddrs: { ...data.brokerAddrs },
    brokerName: data.brokerName,
    cluster: data.cluster,
    enableActingMaster: false,
  }
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(toFastjson(value), 'utf8')
}
