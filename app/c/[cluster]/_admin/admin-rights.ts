// What the signed-in user may change on a cluster, for showing or hiding the admin buttons. Cosmetic only: every
// server action checks the role and the read-only flag again (runMutation), whatever the page showed.
import 'server-only'
import { currentActor } from '@/lib/auth/session'
import { roleAllows } from '@/lib/auth/roles'
import { getClusterConnection } from '@/lib/cluster/registry'

export interface AdminRights {
  /** Create, update and delete topics and groups (admin). */
  readonly canAdmin: boolean
  /** Send test messages (operator). */
  readonly canSend: boolean
}

const NONE: AdminRights = { canAdmin: false, canSend: false }

export async function adminRights(cluster: string): Promise<AdminRights> {
  try {
    const [actor, connection] = await Promise.all([currentActor(), getClusterConnection(cluster)])
    if (!actor || connection.readOnly) return NONE
    return { canAdmin: roleAllows(actor.role, 'admin'), canSend: roleAllows(actor.role, 'operator') }
  } catch {
    // An unknown cluster or an unreadable session: the page shows its own error; no buttons.
    return NONE
  }
}
