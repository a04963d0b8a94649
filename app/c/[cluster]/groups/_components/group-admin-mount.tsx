// Server-side mounts of the group admin buttons: rendered only for admins on a writable cluster (cosmetic; the
// actions refuse anyway).
import { adminRights } from '../../_admin/admin-rights'
import { CreateGroupButton, GroupAdminBar, type GroupAdminTarget } from './group-admin-dialogs'

export async function CreateGroupMount({ cluster }: { cluster: string }) {
  const { canAdmin } = await adminRights(cluster)
  return canAdmin ? <CreateGroupButton cluster={cluster} /> : null
}

export async function GroupAdminMount(target: GroupAdminTarget) {
  const { canAdmin } = await adminRights(target.cluster)
  return canAdmin ? <GroupAdminBar {...target} /> : null
}
