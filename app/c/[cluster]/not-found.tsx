// Shown when a page inside a known cluster asks for something that is not there (a topic, a group, a message).
import Link from 'next/link'

export default function NotFoundInCluster() {
  return (
    <div className="py-16 text-center" data-testid="not-found">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        This cluster has nothing at that address; it may have been deleted.
      </p>
      <p className="mt-6 text-sm">
        <Link href="/clusters" className="text-link">
          All clusters
        </Link>
      </p>
    </div>
  )
}
