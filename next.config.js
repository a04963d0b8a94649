// Next.js configuration. Standalone output: the console runs as one long-lived Node process
// (`node .next/standalone/server.js`, see scripts/start.mjs) because the embedded engine lives inside it.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.dirname(fileURLToPath(import.meta.url))

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  // A second dev server in the same checkout (tests, parallel work) needs its own build folder.
  distDir: process.env.MQDECK_NEXT_DIST_DIR || '.next',
  // Pin the tracing root so server.js lands at .next/standalone/server.js whatever lockfiles sit above us.
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // Native and long-lived packages are loaded from node_modules at runtime instead of being bundled.
  serverExternalPackages: [
    '@libsql/client',
    'libsql',
    '@prisma/adapter-libsql',
    '@prisma/adapter-pg',
    'node-cron',
    '@node-rs/crc32',
  ],
  poweredByHeader: false,
  experimental: {
    // A test message body may be up to 4 MiB; the default server action limit is 1 MB.
    serverActions: { bodySizeLimit: '5mb' },
  },
}

export default nextConfig
