// A message list's body cell (messages by time range, a group's DLQ): the body's size and a one-line preview.
import { formatBytes } from '@/app/_components/format'
import { bodyPreview } from './body-format'

export function BodyCell({ message }: { message: { bodySizeBytes: number; bodyBase64: string } }) {
  return (
    <span className="flex flex-col">
      <span className="text-xs tabular-nums whitespace-nowrap">{formatBytes(message.bodySizeBytes)}</span>
      <span className="max-w-[20rem] truncate font-mono text-xs text-slate-500 dark:text-slate-400">
        {bodyPreview(message.bodyBase64)}
      </span>
    </span>
  )
}
