// /clusters requires a login (else /login?next=/clusters); viewers may look, the actions require admin.
import type { ReactNode } from 'react'
import { pageActor } from '@/app/_lib/auth-guard'

export default async function ClustersLayout({ children }: { children: ReactNode }) {
  await pageActor()
  return children
}
