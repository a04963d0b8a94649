// The console's roles, weakest first, and the one comparison every server-side check uses. Pure: no I/O, so client
// components may import the types and the list.
export type Role = 'viewer' | 'operator' | 'admin'

/** viewer reads; operator also resends, resets offsets, sends test messages, ends transactions; admin also
 *  creates, updates and deletes topics, groups, clusters and users. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin']

export interface Actor {
  readonly userId: number
  readonly username: string
  readonly role: Role
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** True when `role` is at least `minRole`. */
export function roleAllows(role: Role, minRole: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minRole)
}
