// What a list view shows before it has a page: "Loading…", or why the cluster could not list it.
export function ListUnavailable({ what, error }: { what: string; error: string | undefined }) {
  return (
    <p role="alert" className="text-sm text-red-700 dark:text-red-400">
      {error ? `Could not list ${what}: ${error}` : 'Loading…'}
    </p>
  )
}
