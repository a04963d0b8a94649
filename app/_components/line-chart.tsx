'use client'
// A small SVG line chart for metric history (no chart library): time axis labelled in the chosen time zone,
// a y axis from 0 to a rounded maximum, a legend, and a hover read-out of the nearest sample.
import { useId, useState, type PointerEvent } from 'react'
import { formatClock, formatDateTime } from '@/app/_lib/format-time'
import { useTimeZone } from './time-zone'

export interface ChartPoint {
  /** Epoch ms. */
  readonly t: number
  readonly v: number
}

export interface ChartSeries {
  readonly name: string
  readonly points: readonly ChartPoint[]
}

export interface LineChartProps {
  /** Read by screen readers and shown as the chart's title. */
  readonly title: string
  readonly series: readonly ChartSeries[]
  /** Appended to values: "msg/s", "messages". */
  readonly unit?: string
  readonly height?: number
  /** The time window shown; defaults to the points' extent. */
  readonly fromMs?: number
  readonly toMs?: number
  readonly testId?: string
}

const WIDTH = 640
const MARGIN = { top: 10, right: 12, bottom: 22, left: 48 } as const
const COLORS = ['#0284c7', '#059669', '#d97706', '#db2777', '#7c3aed', '#64748b'] as const
const X_TICKS = 5
const Y_TICKS = 4

/** The smallest 1/2/5 × 10^n at or above `value`, so axis labels are round. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude
  return 10 * magnitude
}

/** A series without points; the interval is lib/metrics' sampling pass (server-only, so restated here). */
const NO_HISTORY_NOTE = 'no history yet — the metrics job samples every 10 s'

const valueFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

export function LineChart({ title, series, unit, height = 180, fromMs, toMs, testId }: LineChartProps) {
  const { zone } = useTimeZone()
  const titleId = useId()
  const [hoverT, setHoverT] = useState<number | undefined>(undefined)
  const plotted = series.filter((s) => s.points.length > 0)

  const domain = (() => {
    let tMin = fromMs ?? Infinity
    let tMax = toMs ?? -Infinity
    let vMax = 0
    for (const s of plotted) {
      for (const p of s.points) {
        if (fromMs === undefined) tMin = Math.min(tMin, p.t)
        if (toMs === undefined) tMax = Math.max(tMax, p.t)
        vMax = Math.max(vMax, p.v)
      }
    }
    if (!(tMax > tMin)) tMax = tMin + 60_000
    return { tMin, tMax, vMax: niceCeiling(vMax) }
  })()

  if (plotted.length === 0) {
    // A note the plot's height rather than an empty plot, so the page does not jump when samples arrive.
    return (
      <figure data-testid={testId}>
        <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
        <p
          className="flex items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400"
          style={{ height }}
          data-testid={testId ? `${testId}-empty` : undefined}
        >
          {NO_HISTORY_NOTE}
        </p>
      </figure>
    )
  }

  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = height - MARGIN.top - MARGIN.bottom
  const x = (t: number) => MARGIN.left + ((t - domain.tMin) / (domain.tMax - domain.tMin)) * plotWidth
  const y = (v: number) => MARGIN.top + plotHeight - (v / domain.vMax) * plotHeight
  const spansDays = domain.tMax - domain.tMin > 86_400_000
  const xTicks = Array.from(
    { length: X_TICKS },
    (_, i) => domain.tMin + ((domain.tMax - domain.tMin) * i) / (X_TICKS - 1),
  )
  const yTicks = Array.from({ length: Y_TICKS + 1 }, (_, i) => (domain.vMax * i) / Y_TICKS)

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const svgX = ((event.clientX - box.left) / box.width) * WIDTH
    const t = domain.tMin + ((svgX - MARGIN.left) / plotWidth) * (domain.tMax - domain.tMin)
    setHoverT(t >= domain.tMin && t <= domain.tMax ? t : undefined)
  }
  const readout =
    hoverT === undefined
      ? undefined
      : plotted
          .map((s) => ({ name: s.name, point: nearest(s.points, hoverT) }))
          .filter((r) => r.point !== undefined)
  const readoutT = readout?.[0]?.point?.t

  return (
    <figure data-testid={testId} className="min-w-0">
      <figcaption id={titleId} className="mb-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <span className="font-medium">{title}</span>
        {plotted.map((s, i) => (
          <span
            key={s.name}
            className="inline-flex items-center gap-1 text-xs text-slate-600 dark:text-slate-400"
          >
            <span
              aria-hidden
              className="inline-block h-0.5 w-3"
              style={{ backgroundColor: COLORS[i % COLORS.length] }}
            />
            {s.name}
          </span>
        ))}
        {series
          .filter((s) => s.points.length === 0)
          .map((s) => (
            <span key={s.name} className="text-xs text-slate-500 dark:text-slate-400">
              {s.name}: no history yet
            </span>
          ))}
      </figcaption>
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${WIDTH} ${height}`}
        className="w-full text-slate-400 dark:text-slate-500"
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHoverT(undefined)}
      >
        <title>{`${title}${unit ? ` (${unit})` : ''}, ${formatDateTime(domain.tMin, zone)} to ${formatDateTime(domain.tMax, zone)}`}</title>
        {yTicks.map((v) => (
          <g key={v}>
            <line
              x1={MARGIN.left}
              x2={WIDTH - MARGIN.right}
              y1={y(v)}
              y2={y(v)}
              stroke="currentColor"
              strokeOpacity={0.25}
            />
            <text x={MARGIN.left - 6} y={y(v) + 3} textAnchor="end" fontSize={10} fill="currentColor">
              {valueFormat.format(v)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            key={t}
            x={x(t)}
            y={height - 6}
            textAnchor={i === 0 ? 'start' : i === X_TICKS - 1 ? 'end' : 'middle'}
            fontSize={10}
            fill="currentColor"
          >
            {formatClock(t, zone, spansDays)}
          </text>
        ))}
        {plotted.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={1.5}
            strokeLinejoin="round"
            points={s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}
          />
        ))}
        {readoutT !== undefined && (
          <line
            x1={x(readoutT)}
            x2={x(readoutT)}
            y1={MARGIN.top}
            y2={MARGIN.top + plotHeight}
            stroke="currentColor"
          />
        )}
      </svg>
      <div className="h-4 text-xs text-slate-600 tabular-nums dark:text-slate-400" aria-live="polite">
        {readout && readoutT !== undefined && (
          <>
            {formatDateTime(readoutT, zone)}:{' '}
            {readout
              .map((r) => `${r.name} ${valueFormat.format(r.point!.v)}${unit ? ` ${unit}` : ''}`)
              .join(' · ')}
          </>
        )}
      </div>
    </figure>
  )
}

function nearest(points: readonly ChartPoint[], t: number): ChartPoint | undefined {
  let best: ChartPoint | undefined
  for (const p of points) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p
  return best
}
