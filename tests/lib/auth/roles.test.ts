// lib/auth/roles.ts and checkRole: viewer < operator < admin; UNAUTHENTICATED without an actor, FORBIDDEN below.
import { describe, expect, it } from 'vitest'
import { ROLES, roleAllows, type Role } from '@/lib/auth/roles'
import { checkRole } from '@/lib/auth/session'

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin'])
    const table: [Role, Role, boolean][] = [
      ['viewer', 'viewer', true],
      ['viewer', 'operator', false],
      ['viewer', 'admin', false],
      ['operator', 'viewer', true],
      ['operator', 'operator', true],
      ['operator', 'admin', false],
      ['admin', 'viewer', true],
      ['admin', 'operator', true],
      ['admin', 'admin', true],
    ]
    for (const [role, minRole, allowed] of table)
      expect(roleAllows(role, minRole), `${role} ≥ ${minRole}`).toBe(allowed)
  })

  it('checkRole: UNAUTHENTICATED with no actor, FORBIDDEN below the minimum, the actor otherwise', () => {
    expect(() => checkRole(undefined, 'viewer')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }))
    const viewer = { userId: 1, username: 'vic', role: 'viewer' as const }
    expect(() => checkRole(viewer, 'operator')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }))
    expect(checkRole(viewer, 'viewer')).toBe(viewer)
  })
})
