// One store directory, one owner: a `lock` file holding the owner's pid, plus an in-process registry (kept on
// globalThis because Next.js may load this module several times in one process).

import path from 'node:path'
import { EngineError } from '../common/engine-error'
import type { StoreIo } from './store-io'

const REGISTRY_KEY = Symbol.for('mqdeck.broker-engine.openStores')
const registry = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] ??= new Set<string>()) as Set<string>

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class StoreLock {
  private constructor(
    private readonly io: StoreIo,
    private readonly rootDir: string,
  ) {}

  static acquire(io: StoreIo, rootDir: string): StoreLock {
    const root = path.resolve(rootDir)
    if (registry.has(root))
      throw new EngineError('STORE_LOCKED', `store ${root} is already open in this process`)
    const lockPath = path.join(root, 'lock')
    if (io.existsSync(lockPath)) {
      const pid = Number(io.readFileSync(lockPath).toString('utf8').trim())
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new EngineError('STORE_LOCKED', `store ${root} is locked by running process ${pid}`, { pid })
      }
    }
    const fd = io.openSync(lockPath, 'w')
    const text = Buffer.from(String(process.pid))
    io.writeSync(fd, text, 0, text.length, 0)
    io.closeSync(fd)
    registry.add(root)
    return new StoreLock(io, root)
  }

  release(): void {
    registry.delete(this.rootDir)
    const lockPath = path.join(this.rootDir, 'lock')
    if (this.io.existsSync(lockPath)) this.io.unlinkSync(lockPath)
  }
}
