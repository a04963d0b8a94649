// The born host of a message: the TCP peer that sent it, as RocketMQ records it (4 address bytes for IPv4,
// including IPv4-mapped IPv6 peers, else 16, plus the port). Computed once per connection.

import net from 'node:net'
import type { HostAddress } from '../../store/store-types'
import type { RemotingConnection } from '../remoting-connection'

const hosts = new WeakMap<RemotingConnection, HostAddress>()

export function peerHostOf(connection: RemotingConnection): HostAddress {
  let host = hosts.get(connection)
  if (!host) {
    const socket = connection.socket
    host = {
      address: ipAddressBytes(socket.remoteAddress ?? '') ?? new Uint8Array(4),
      port: socket.remotePort ?? 0,
    }
    hosts.set(connection, host)
  }
  return host
}

/** The bytes of an IP address text: IPv4 and IPv4-mapped IPv6 give 4 bytes, other IPv6 16; undefined if neither. */
export function ipAddressBytes(text: string): Uint8Array | undefined {
  const zoneAt = text.indexOf('%')
  const ip = zoneAt >= 0 ? text.slice(0, zoneAt) : text
  if (net.isIPv4(ip)) return ipv4Bytes(ip)
  if (!net.isIPv6(ip)) return undefined
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return ipv4Bytes(mapped[1]!)
  return ipv6Bytes(ip)
}

function ipv4Bytes(ip: string): Uint8Array {
  return Uint8Array.from(ip.split('.').map(Number))
}

/** A valid IPv6 text (checked by net.isIPv6) as 16 bytes: "::" expanded, a dotted IPv4 tail converted. */
function ipv6Bytes(ip: string): Uint8Array {
  let text = ip
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, rest] = text.split('::') as [string, string | undefined]
  const headGroups = head ? head.split(':') : []
  const restGroups = rest ? rest.split(':') : []
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length
  const groups = [...headGroups, ...new Array<string>(zeros).fill('0'), ...restGroups]
  const out = new Uint8Array(16)
  groups.forEach((group, i) => {
    const value = parseInt(group, 16)
    out[i * 2] = value >>> 8
    out[i * 2 + 1] = value & 0xff
  })
  return out
}
