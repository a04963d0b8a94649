#!/usr/bin/env node
// `mqdeck <command>`: the CLI's executable (package.json "bin"). It runs the TypeScript sources in lib/cli with tsx
// (which also resolves the "@/" path alias from tsconfig.json), in this process, so exit codes and signals are
// the command's own. lib/ modules import `server-only`, which throws unless resolved under the "react-server"
// condition; the CLI is server code, so a resolve hook adds that condition for that one package.
import { register } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { register as registerTsx } from 'tsx/esm/api'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

registerTsx({ tsconfig: path.join(repoRoot, 'tsconfig.json') })

// Registered after tsx, so it runs first: `server-only` resolves to its empty react-server entry.
const serverOnlyHook = `
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'server-only')
    return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'react-server'] })
  return nextResolve(specifier, context)
}
`
register(`data:text/javascript,${encodeURIComponent(serverOnlyHook)}`, import.meta.url)

const { runCli } = await import(pathToFileURL(path.join(repoRoot, 'lib', 'cli', 'main.ts')).href)
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
})
