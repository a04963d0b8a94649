// A StoreIo that counts operations and fails the ones a test picks (ENOSPC on writes, EIO on fdatasync,
// refused file creation), so failure paths are tested against the real store code.

import { nodeStoreIo, type StoreIo } from '../store/store-io'

export type FaultKind = 'write' | 'fdatasync' | 'open' | 'ftruncate'

export interface FaultRule {
  readonly kind: FaultKind
  /** errno code to throw, e.g. 'ENOSPC' or 'EIO'. */
  readonly code: string
  /** Only paths containing this text (for write/fdatasync: the path the fd was opened with). */
  readonly pathIncludes?: string
  /** For writes: let this many bytes through before failing (a short write). */
  readonly allowBytes?: number
}

function errnoError(code: string, op: string, path: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${op} ${path}`) as NodeJS.ErrnoException
  err.code = code
  return err
}

export class FaultyIo implements StoreIo {
  private rules: FaultRule[] = []
  /** When set, the disk usage the store sees (0..1) instead of the real file system's. */
  diskUsedRatioOverride: number | undefined
  private readonly pathOfFd = new Map<number, string>()
  readonly counts = { write: 0, fdatasync: 0, open: 0 }

  constructor(private readonly inner: StoreIo = nodeStoreIo) {}

  fail(rule: FaultRule): void {
    this.rules.push(rule)
  }

  heal(): void {
    this.rules = []
  }

  private match(kind: FaultKind, path: string): FaultRule | undefined {
    return this.rules.find((r) => r.kind === kind && (!r.pathIncludes || path.includes(r.pathIncludes)))
  }

  openSync(path: string, flags: string): number {
    this.counts.open++
    const rule = this.match('open', path)
    if (rule && flags.includes('x')) throw errnoError(rule.code, 'open', path)
    const fd = this.inner.openSync(path, flags)
    this.pathOfFd.set(fd, path)
    return fd
  }
  closeSync(fd: number): void {
    this.pathOfFd.delete(fd)
    this.inner.closeSync(fd)
  }
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    this.counts.write++
    const path = this.pathOfFd.get(fd) ?? ''
    const rule = this.match('write', path)
    if (rule) {
      const allow = Math.min(rule.allowBytes ?? 0, length)
      if (allow > 0) {
        this.rules = this.rules.map((r) => (r === rule ? { ...r, allowBytes: 0 } : r))
        return this.inner.writeSync(fd, buf, offset, allow, position)
      }
      throw errnoError(rule.code, 'write', path)
    }
    return this.inner.writeSync(fd, buf, offset, length, position)
  }
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    return this.inner.readSync(fd, buf, offset, length, position)
  }
  async fdatasync(fd: number): Promise<void> {
    this.counts.fdatasync++
    const path = this.pathOfFd.get(fd) ?? ''
    const rule = this.match('fdatasync', path)
    if (rule) throw errnoError(rule.code, 'fdatasync', path)
    return this.inner.fdatasync(fd)
  }
  fdatasyncSync(fd: number): void {
    this.counts.fdatasync++
    this.inner.fdatasyncSync(fd)
  }
  ftruncateSync(fd: number, length: number): void {
    const path = this.pathOfFd.get(fd) ?? ''
    const rule = this.match('ftruncate', path)
    if (rule) throw errnoError(rule.code, 'ftruncate', path)
    this.inner.ftruncateSync(fd, length)
  }
  fileSizeSync(fd: number): number {
    return this.inner.fileSizeSync(fd)
  }
  writeZeros(fd: number, position: number, length: number): Promise<void> {
    const path = this.pathOfFd.get(fd) ?? ''
    const rule = this.match('write', path)
    if (rule) return Promise.reject(errnoError(rule.code, 'write', path))
    return this.inner.writeZeros(fd, position, length)
  }
  unlinkSync(path: string): void {
    this.inner.unlinkSync(path)
  }
  renameSync(from: string, to: string): void {
    this.inner.renameSync(from, to)
  }
  mkdirSync(path: string): void {
    this.inner.mkdirSync(path)
  }
  readdirSync(path: string): string[] {
    return this.inner.readdirSync(path)
  }
  existsSync(path: string): boolean {
    return this.inner.existsSync(path)
  }
  readFileSync(path: string): Buffer {
    return this.inner.readFileSync(path)
  }
  diskUsedRatio(path: string): number {
    return this.diskUsedRatioOverride ?? this.inner.diskUsedRatio(path)
  }
}
