import { usePage } from './context.ts'
import { Table } from './table.tsx'

/** One line of a line chart: points in the data's own units, drawn solid or dashed (never told by colour alone). */
export interface ChartSeries {
  label: string
  points: [number, number][]
  dashed?: boolean
  /** drawn as steps (a count that changes at each point and holds until the next), not as a slope */
  step?: boolean
}

const STROKES = ['#000091', '#b34000', '#18753c', '#6e445a'] as const

/** The points of a step line: each value holds until the next point. */
function stepped(points: [number, number][]): [number, number][] {
  const corners: [number, number][] = []
  for (const [i, point] of points.entries()) {
    const previous = points[i - 1]
    if (!previous) corners.push(point)
    else if (previous[1] !== point[1]) corners.push([point[0], previous[1]], point)
  }
  const last = points[points.length - 1]
  if (last && corners[corners.length - 1] !== last) corners.push(last)
  return corners
}

/** The figures behind a chart, as a table folded under it: its text alternative, and what one copies. */
function ChartFigures(props: { caption: string; table: { headings: string[]; rows: string[][] } }) {
  const { t } = usePage()
  return (
    <details>
      <summary>{t('chart.figures')}</summary>
      <Table headings={props.table.headings} caption={props.caption} class="chart-table">
        {props.table.rows.map((row) => (
          <tr>
            <th scope="row">{row[0]}</th>
            {row.slice(1).map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))}
      </Table>
    </details>
  )
}

/** Round tick values covering 0…max: 0, then steps of 1, 2 or 5 × a power of ten (whole steps for counts). */
export function ticks(max: number, count = 5, integers = false): number[] {
  if (!(max > 0)) return [0]
  const raw = integers ? Math.max(1, max / count) : max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw) as number
  const list: number[] = []
  for (let v = 0; v <= max + step * 1e-9; v += step) list.push(Number(v.toPrecision(12)))
  if (list[list.length - 1]! < max) list.push(Number((list[list.length - 1]! + step).toPrecision(12)))
  return list
}

/**
 * A line chart drawn as SVG without script or inline style (the CSP forbids both): axes with ticks and their
 * units, a legend, and the figures as a table in a `<details>` for those who do not read the drawing.
 */
export function LineChart(props: {
  id: string
  title: string
  series: ChartSeries[]
  xLabel: string
  yLabel: string
  xFormat: (value: number) => string
  yFormat: (value: number) => string
  /** where to mark the x axis, when the data's own round numbers are not what the reader counts in */
  xTicks?: number[]
  /** the values are counts: whole ticks only */
  yIntegers?: boolean
  /** the figures behind the drawing, as the reader would want them */
  table: { headings: string[]; rows: string[][] }
}) {
  const width = 640
  const height = 280
  const margin = { left: 64, right: 16, top: 12, bottom: 48 }
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const all = props.series.flatMap((s) => s.points)
  const xMax = Math.max(...all.map((p) => p[0]), 1e-9)
  const yTicks = ticks(Math.max(...all.map((p) => p[1]), 1e-9), 5, props.yIntegers ?? false)
  const yMax = yTicks[yTicks.length - 1]!
  const xTicks = props.xTicks ?? ticks(xMax, 4)
  const xEnd = Math.max(xTicks[xTicks.length - 1]!, xMax)
  const x = (v: number) => margin.left + (v / xEnd) * plotWidth
  const y = (v: number) => margin.top + plotHeight - (v / yMax) * plotHeight
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-title`} focusable="false">
        {yTicks.map((v) => (
          <g>
            <line x1={margin.left} x2={width - margin.right} y1={y(v)} y2={y(v)} class="chart-grid" />
            <text x={margin.left - 6} y={y(v) + 4} text-anchor="end" class="chart-label">
              {props.yFormat(v)}
            </text>
          </g>
        ))}
        {xTicks.map((v) => (
          <text x={x(v)} y={height - margin.bottom + 18} text-anchor="middle" class="chart-label">
            {props.xFormat(v)}
          </text>
        ))}
        <line x1={margin.left} x2={margin.left} y1={margin.top} y2={margin.top + plotHeight} class="chart-axis" />
        <line
          x1={margin.left}
          x2={width - margin.right}
          y1={margin.top + plotHeight}
          y2={margin.top + plotHeight}
          class="chart-axis"
        />
        <text x={margin.left + plotWidth / 2} y={height - 6} text-anchor="middle" class="chart-label">
          {props.xLabel}
        </text>
        <text
          x={14}
          y={margin.top + plotHeight / 2}
          text-anchor="middle"
          class="chart-label"
          transform={`rotate(-90 14 ${margin.top + plotHeight / 2})`}
        >
          {props.yLabel}
        </text>
        {props.series.map((s, index) => (
          <polyline
            points={(s.step ? stepped(s.points) : s.points)
              .map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`)
              .join(' ')}
            fill="none"
            stroke={STROKES[index % STROKES.length]}
            stroke-width={s.dashed ? 2 : 2.5}
            stroke-dasharray={s.dashed ? '6 4' : undefined}
          />
        ))}
      </svg>
      <ul class="chart-legend">
        {props.series.map((s, index) => (
          <li>
            <svg viewBox="0 0 32 8" width="32" height="8" aria-hidden="true" focusable="false">
              <line
                x1="0"
                x2="32"
                y1="4"
                y2="4"
                stroke={STROKES[index % STROKES.length]}
                stroke-width="3"
                stroke-dasharray={s.dashed ? '6 4' : undefined}
              />
            </svg>{' '}
            {s.label}
          </li>
        ))}
      </ul>
      <ChartFigures caption={props.title} table={props.table} />
    </figure>
  )
}

/** One bar: its label, its value, and a class that gives its colour where colour carries a meaning (a status). */
export interface ChartBar {
  label: string
  value: number
  class?: string
}

/**
 * A horizontal bar chart in SVG: a label and the value beside each bar, a value axis with ticks and its unit,
 * and the figures as a table in a `<details>`. Long labels are shortened in the drawing, never in the table.
 */
export function BarChart(props: {
  id: string
  title: string
  bars: ChartBar[]
  /** what the values count ("engagements", "fiches"): the axis label and the table's column */
  unit: string
  /** the table's first column */
  category: string
  format: (value: number) => string
  /** the values are counts (the default): whole ticks only */
  integers?: boolean
  /** the title is already the heading above the chart: read by screen readers, not shown twice */
  titleHidden?: boolean
}) {
  if (props.bars.length === 0) return null
  const width = 640
  const rowHeight = 28
  const margin = { left: 250, right: 48, top: 8, bottom: 44 }
  const plotWidth = width - margin.left - margin.right
  const plotHeight = props.bars.length * rowHeight
  const height = margin.top + plotHeight + margin.bottom
  const xTicks = ticks(Math.max(...props.bars.map((b) => b.value), 1e-9), 4, props.integers ?? true)
  const xMax = xTicks[xTicks.length - 1]!
  const x = (v: number) => margin.left + (v / xMax) * plotWidth
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`} class={props.titleHidden ? 'visually-hidden' : undefined}>
        {props.title}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-title`} focusable="false">
        {xTicks.map((v) => (
          <g>
            <line x1={x(v)} x2={x(v)} y1={margin.top} y2={margin.top + plotHeight} class="chart-grid" />
            <text x={x(v)} y={margin.top + plotHeight + 18} text-anchor="middle" class="chart-label">
              {props.format(v)}
            </text>
          </g>
        ))}
        {props.bars.map((bar, i) => {
          const y = margin.top + i * rowHeight
          const barWidth = Math.max(2, x(bar.value) - margin.left)
          return (
            <g>
              <text x={margin.left - 8} y={y + 19} text-anchor="end" class="chart-label">
                {bar.label.length > 30 ? `${bar.label.slice(0, 28)}…` : bar.label}
              </text>
              <rect
                x={margin.left}
                y={y + 5}
                width={barWidth}
                height={rowHeight - 10}
                class={`bar ${bar.class ?? ''}`}
              />
              <text x={margin.left + barWidth + 6} y={y + 19} class="chart-value">
                {props.format(bar.value)}
              </text>
            </g>
          )
        })}
        <line x1={margin.left} x2={margin.left} y1={margin.top} y2={margin.top + plotHeight} class="chart-axis" />
        <text x={margin.left + plotWidth / 2} y={height - 6} text-anchor="middle" class="chart-label">
          {props.unit}
        </text>
      </svg>
      <ChartFigures
        caption={props.title}
        table={{
          headings: [props.category, props.unit],
          rows: props.bars.map((b) => [b.label, props.format(b.value)]),
        }}
      />
    </figure>
  )
}
