'use client'
// The current time, re-rendering every `intervalMs`: for "updated 3 s ago" and heartbeat ages that tick.
import { useEffect, useState } from 'react'

export function useNow(intervalMs = 1000): number {
  const [nowMs, setNowMs] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return nowMs
}
