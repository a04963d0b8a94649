// `--import`ed by `npm run bench`: lib/ modules import `server-only`, which throws outside React server bundles.
// Under plain Node the benches resolve it (and only it) to its empty react-server entry, as the CLI does.
import { register } from 'node:module'

const hook = `
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'server-only')
    return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'react-server'] })
  return nextResolve(specifier, context)
}
`
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url)
