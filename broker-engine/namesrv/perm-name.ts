// RocketMQ's permission bits for topics and broker names (PermName.java), as carried in TopicConfig.perm and
// QueueData.perm: producers need WRITE on a queue, consumers need READ.

export const PERM_PRIORITY = 0x8
export const PERM_READ = 0x4
export const PERM_WRITE = 0x2
export const PERM_INHERIT = 0x1
/** Every bit a perm value may carry; the registry rejects anything outside it. */
export const PERM_MASK = PERM_PRIORITY | PERM_READ | PERM_WRITE | PERM_INHERIT

export function isReadable(perm: number): boolean {
  return (perm & PERM_READ) === PERM_READ
}

export function isWriteable(perm: number): boolean {
  return (perm & PERM_WRITE) === PERM_WRITE
}

export function isInherited(perm: number): boolean {
  return (perm & PERM_INHERIT) === PERM_INHERIT
}
