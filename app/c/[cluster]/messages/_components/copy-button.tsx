'use client'
// A small "copy" button for ids and links: writes to the clipboard and says so for a moment.
import { useEffect, useState } from 'react'

const CONFIRM_MS = 1_500

export function CopyButton({
  text,
  label = 'Copy',
  testId,
}: {
  /** Read at click time when a function (the page's own URL, which the server render cannot know). */
  text: string | (() => string)
  label?: string
  testId?: string
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), CONFIRM_MS)
    return () => clearTimeout(timer)
  }, [state])
  return (
    <button
      type="button"
      className="control-button px-1.5 py-0 text-xs"
      data-testid={testId}
      aria-label={typeof text === 'string' ? `${label}: ${text}` : label}
      onClick={() => {
        navigator.clipboard.writeText(typeof text === 'string' ? text : text()).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }}
    >
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
      </span>
    </button>
  )
}
