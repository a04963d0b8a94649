'use client'
// The time zone every time in the console is shown in: chosen in the header (UTC, the browser's zone or any
// IANA zone), kept in the mqdeck-tz cookie so server-rendered first paints use it too, and <Time> to render one.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import { formatDateTime, formatIsoWithOffset, listTimeZones } from '@/app/_lib/format-time'
import { TIME_ZONE_COOKIE, writePreferenceCookie } from '@/app/_lib/preferences'

interface TimeZoneContextValue {
  readonly zone: string
  readonly setZone: (zone: string) => void
}

const TimeZoneContext = createContext<TimeZoneContextValue>({ zone: 'UTC', setZone: () => {} })

/** `initialZone` comes from the cookie, read by the root layout, so server and browser render the same text. */
export function TimeZoneProvider({ initialZone, children }: { initialZone: string; children: ReactNode }) {
  const [zone, setZoneState] = useState(initialZone)
  const setZone = useCallback((next: string) => {
    writePreferenceCookie(TIME_ZONE_COOKIE, next)
    setZoneState(next)
  }, [])
  const value = useMemo(() => ({ zone, setZone }), [zone, setZone])
  return <TimeZoneContext.Provider value={value}>{children}</TimeZoneContext.Provider>
}

export function useTimeZone(): TimeZoneContextValue {
  return useContext(TimeZoneContext)
}

/** An instant as "2026-11-28 07:41:03.120 UTC+01:00" in the chosen zone; "–" when absent or 0 (never set). */
export function Time({ ms, className }: { ms: number | undefined; className?: string }) {
  const { zone } = useTimeZone()
  if (ms === undefined || ms === 0 || !Number.isFinite(ms)) return <span className={className}>–</span>
  return (
    <time
      dateTime={formatIsoWithOffset(ms, zone)}
      title={zone}
      className={`font-mono text-xs tabular-nums whitespace-nowrap ${className ?? ''}`}
      data-testid="time"
    >
      {formatDateTime(ms, zone)}
    </time>
  )
}

/** Matches shown in the picker at once: the full list is ~420 zones. */
const ZONE_MATCHES_MAX = 60

/** Header control: a button naming the zone, opening a searchable list (UTC and the browser's zone first). */
export function TimeZoneSelect() {
  const { zone, setZone } = useTimeZone()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [browserZone, setBrowserZone] = useState<string | undefined>(undefined)
  const rootRef = useRef<HTMLDivElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const allZones = useMemo(() => (open ? listTimeZones() : []), [open])

  useEffect(() => {
    if (!open) return
    inputRef.current?.focus()
    const onPointerDown = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const needle = query.trim().toLowerCase()
  const matches =
    needle === '' ? [] : allZones.filter((z) => z.toLowerCase().includes(needle)).slice(0, ZONE_MATCHES_MAX)
  const choose = (next: string) => {
    setZone(next)
    setOpen(false)
    setQuery('')
  }

  return (
    <div ref={rootRef} className="relative" onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          // Read here, not during render: the server cannot know the browser's zone.
          setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone)
          setOpen((value) => !value)
        }}
        className="control-button font-mono"
        title="Time zone for every time shown"
        data-testid="time-zone-button"
      >
        {zone}
      </button>
      {open && (
        <div
          role="dialog"
          aria-label="Choose a time zone"
          className="absolute right-0 z-30 mt-1 w-72 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="flex flex-col gap-1">
            <ZoneOption zone="UTC" label="UTC" current={zone} onChoose={choose} />
            {browserZone && browserZone !== 'UTC' && (
              <ZoneOption
                zone={browserZone}
                label={`Browser: ${browserZone}`}
                current={zone}
                onChoose={choose}
              />
            )}
          </div>
          <input
            ref={inputRef}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && matches[0]) choose(matches[0])
            }}
            placeholder="Search zones (e.g. Shanghai)"
            aria-label="Search time zones"
            className="control-input mt-2 w-full"
            data-testid="time-zone-search"
          />
          {matches.length > 0 && (
            <ul className="mt-1 max-h-64 overflow-y-auto" aria-label="Matching time zones">
              {matches.map((z) => (
                <li key={z}>
                  <ZoneOption zone={z} label={z} current={zone} onChoose={choose} />
                </li>
              ))}
            </ul>
          )}
          {needle !== '' && matches.length === 0 && (
            <p className="mt-2 px-2 text-xs text-slate-500 dark:text-slate-400">No zone matches “{query}”.</p>
          )}
        </div>
      )}
    </div>
  )
}

function ZoneOption(props: {
  zone: string
  label: string
  current: string
  onChoose: (zone: string) => void
}) {
  const selected = props.zone === props.current
  return (
    <button
      type="button"
      onClick={() => props.onChoose(props.zone)}
      aria-pressed={selected}
      className={`w-full rounded px-2 py-1 text-left text-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none ${
        selected
          ? 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100'
          : 'hover:bg-slate-100 dark:hover:bg-slate-800'
      }`}
    >
      {props.label}
    </button>
  )
}
