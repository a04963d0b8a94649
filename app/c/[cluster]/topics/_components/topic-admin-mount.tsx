// Server-side mounts of the topic admin buttons: they read the user's rights for the cluster and render the
// client dialogs only when the role allows (cosmetic; the actions refuse anyway).
import { adminRights } from '../../_admin/admin-rights'
import { CreateTopicButton, TopicAdminBar, type TopicAdminTarget } from './topic-admin-dialogs'

export async function CreateTopicMount({ cluster }: { cluster: string }) {
  const { canAdmin } = await adminRights(cluster)
  return canAdmin ? <CreateTopicButton cluster={cluster} /> : null
}

export async function TopicAdminMount(target: TopicAdminTarget) {
  const rights = await adminRights(target.cluster)
  return <TopicAdminBar {...target} {...rights} />
}
