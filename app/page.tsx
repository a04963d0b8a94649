// `/` opens the embedded cluster's overview.
import { redirect } from 'next/navigation'
import { EMBEDDED_CLUSTER_ID } from '@/lib/cluster/registry'

export default function HomePage(): never {
  redirect(`/c/${EMBEDDED_CLUSTER_ID}`)
}
