// Whether the signed-in user may resend (or cancel a resend) on a cluster, and if not, the reason the page shows
// beside the disabled buttons. Cosmetic only: startDlqResend / runMutation check the role and the read-only flag
// again on every call, whatever the page showed.
import 'server-only'
import { currentActor } from '@/lib/auth/session'
import { roleAllows } from '@/lib/auth/roles'
import { getClusterConnection } from '@/lib/cluster/registry'

export interface ResendRights {
  readonly canResend: boolean
  /** Why the controls are disabled ("operator role needed", "read-only cluster"); undefined when they are not. */
  readonly reason: string | undefined
}

export async function resendRights(cluster: string): Promise<ResendRights> {
  try {
    const [actor, connection] = await Promise.all([currentActor(), getClusterConnection(cluster)])
    if (!actor) return { canResend: false, reason: 'not logged in' }
    if (!roleAllows(actor.role, 'operator'))
      return { canResend: false, reason: `operator role needed (you are a ${actor.role})` }
    if (connection.readOnly) return { canResend: false, reason: 'read-only cluster' }
    return { canResend: true, reason: undefined }
  } catch {
    // An unknown cluster or an unreadable session: the page shows its own error.
    return { canResend: false, reason: 'the cluster could not be read' }
  }
}
