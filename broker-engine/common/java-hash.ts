// Java's String.hashCode() over UTF-16 code units, wrapped to int32: RocketMQ hashes tags and index keys this
// way, so the same values must come out here for the files to mean the same thing.

export function javaStringHashCode(value: string): number {
  let hash = 0
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0
  return hash
}
