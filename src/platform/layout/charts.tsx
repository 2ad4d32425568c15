import { usePage } from './context.ts'
import { Table } from './table.tsx'

/** One line of a line chart: points in the data's own units, drawn solid or dashed (never told by colour alone). */
export interface ChartSeries {
  label: string
  points: [number, number][]
  dashed?: boolean
}

const STROKES = ['#000091', '#b34000', '#18753c', '#6e445a'] as const

/** Round tick values covering 0…max: 0, then steps of 1, 2 or 5 × a power of ten. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0]
  const raw = max / count
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
  /** the figures behind the drawing, as the reader would want them */
  table: { headings: string[]; rows: string[][] }
}) {
  const { t } = usePage()
  const width = 640
  const height = 280
  const margin = { left: 64, right: 16, top: 12, bottom: 48 }
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const all = props.series.flatMap((s) => s.points)
  const xMax = Math.max(...all.map((p) => p[0]), 1e-9)
  const yTicks = ticks(Math.max(...all.map((p) => p[1]), 1e-9))
  const yMax = yTicks[yTicks.length - 1]!
  const xTicks = ticks(xMax, 4)
  const x = (v: number) => margin.left + (v / xTicks[xTicks.length - 1]!) * plotWidth
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
            points={s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')}
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
      <details>
        <summary>{t('chart.figures')}</summary>
        <Table headings={props.table.headings} caption={props.title} class="chart-table">
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
    </figure>
  )
}
