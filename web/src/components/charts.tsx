import { useId, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { formatCount, formatRate } from '../followup-format';
import { useI18n } from '../i18n';

// Charts as inline SVG, no library: stacked and grouped bars, lines (rates or any scale), a distribution bar. Each is a
// <figure> whose SVG names itself (title, desc) and whose numbers can be shown as a table. The SVG is
// drawn at the width of its box (measured), so text keeps its size on a phone instead of shrinking.

export interface SeriesDef {
  key: string;
  label: string;
  color: string;
}

export interface RowDef {
  key: string;
  label: string;
}

/** Colours that stay apart for most colour-blind readers, on white; the legend and table carry the words. */
export const PALETTE = ['#0f766e', '#d9467a', '#b45309', '#1d4ed8', '#7c3aed', '#475569', '#15803d', '#a16207', '#be123c', '#0e7490'];

export const colorAt = (i: number) => PALETTE[i % PALETTE.length];

/** The width of an element, followed as it changes. */
function useWidth<T extends HTMLElement>(fallback = 640): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.floor(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A round top for the value axis and its ticks (whole numbers). */
function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (max <= 0) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag);
  const whole = Math.ceil(step);
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

/** Cuts a label to what fits in `px` at ~7 px a character. */
function fit(label: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 7));
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

interface FigureProps {
  title: string;
  desc: string;
  /** The same numbers as a table, shown on demand. */
  table: ReactNode;
  legend?: SeriesDef[];
  testId?: string;
  children: (width: number, ids: { title: string; desc: string }) => ReactNode;
}

/** A chart with its caption, legend and a button that shows its numbers as a table. */
export function ChartFigure({ title, desc, table, legend, testId, children }: FigureProps) {
  const { t } = useI18n();
  const id = useId();
  const ids = { title: `${id}-t`, desc: `${id}-d` };
  const [showTable, setShowTable] = useState(false);
  const [ref, width] = useWidth<HTMLDivElement>();
  return (
    <figure className="fu-chart" data-testid={testId}>
      <figcaption className="fu-chart-head">
        <span className="fu-chart-title">{title}</span>
        <button
          type="button"
          className="btn btn-ghost btn-small fu-chart-toggle"
          aria-expanded={showTable}
          aria-controls={`${id}-table`}
          onClick={() => setShowTable((v) => !v)}
          data-testid={testId ? `${testId}-table-toggle` : undefined}
        >
          {showTable ? t('chart.hideTable') : t('chart.showTable')}
        </button>
      </figcaption>
      <div className="fu-chart-canvas" ref={ref}>
        {children(width, ids)}
      </div>
      {legend && legend.length > 1 ? (
        <ul className="fu-chart-legend">
          {legend.map((s) => (
            <li key={s.key}>
              <span className="fu-chart-swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div id={`${id}-table`} className="fu-chart-table fu-scroll" hidden={!showTable} data-testid={testId ? `${testId}-table` : undefined}>
        {table}
      </div>
    </figure>
  );
}

function SvgTitle({ ids, title, desc }: { ids: { title: string; desc: string }; title: string; desc: string }) {
  return (
    <>
      <title id={ids.title}>{title}</title>
      <desc id={ids.desc}>{desc}</desc>
    </>
  );
}

/** A plain table of rows × series, the accessible twin of a chart. */
export function DataTable({
  caption,
  rowHeader,
  rows,
  series,
  value,
  format = formatCount,
  total,
}: {
  caption: string;
  rowHeader: string;
  rows: RowDef[];
  series: SeriesDef[];
  value: (row: string, series: string) => number | null;
  format?: (n: number | null) => string;
  total?: boolean;
}) {
  const { t } = useI18n();
  return (
    <table className="fu-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{rowHeader}</th>
          {series.map((s) => (
            <th scope="col" key={s.key} className="fu-num">
              {s.label}
            </th>
          ))}
          {total ? (
            <th scope="col" className="fu-num">
              {t('chart.total')}
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            {series.map((s) => (
              <td key={s.key} className="fu-num">
                {format(value(r.key, s.key))}
              </td>
            ))}
            {total ? <td className="fu-num">{format(series.reduce((sum, s) => sum + (value(r.key, s.key) ?? 0), 0))}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ColumnChartProps {
  title: string;
  desc: string;
  columns: RowDef[];
  series: SeriesDef[];
  value: (column: string, series: string) => number;
  rowHeader: string;
  testId?: string;
  height?: number;
  /** How a value reads (tooltips, table); whole counts by default. */
  format?: (n: number | null) => string;
  /** How an axis tick (a whole number) reads; the value format by default. */
  tickFormat?: (n: number) => string;
  /** A column to mark with a dashed line and a label (the week a corrective action was opened). */
  marker?: { column: string; label: string };
}

/** Vertical bars over time, each stacked by series (volumes by channel per day, week or month). */
export function StackedColumnChart({
  title,
  desc,
  columns,
  series,
  value,
  rowHeader,
  testId,
  height = 220,
  format = formatCount,
  tickFormat,
  marker,
}: ColumnChartProps) {
  const tick = tickFormat ?? ((n: number) => format(n));
  const totals = columns.map((c) => series.reduce((sum, s) => sum + value(c.key, s.key), 0));
  const { top, step } = niceScale(Math.max(0, ...totals));
  const markerAt = marker ? columns.findIndex((c) => c.key === marker.column) : -1;
  return (
    <ChartFigure
      title={title}
      desc={desc}
      legend={series}
      testId={testId}
      table={<DataTable caption={title} rowHeader={rowHeader} rows={columns} series={series} value={value} format={format} total={series.length > 1} />}
    >
      {(width, ids) => {
        const m = { l: 48, r: 8, t: markerAt >= 0 ? 24 : 10, b: 28 };
        const plotW = Math.max(40, width - m.l - m.r);
        const plotH = height - m.t - m.b;
        const band = plotW / Math.max(1, columns.length);
        const barW = Math.max(1, Math.min(48, band * 0.72));
        const y = (v: number) => m.t + plotH - (v / top) * plotH;
        const every = Math.max(1, Math.ceil((columns.length * 46) / plotW));
        const ticks: number[] = [];
        for (let v = 0; v <= top; v += step) ticks.push(v);
        const markX = m.l + markerAt * band + band / 2;
        return (
          <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${ids.title} ${ids.desc}`}>
            <SvgTitle ids={ids} title={title} desc={desc} />
            {ticks.map((v) => (
              <g key={v} className="fu-chart-grid">
                <line x1={m.l} x2={width - m.r} y1={y(v)} y2={y(v)} />
                <text x={m.l - 6} y={y(v) + 4} textAnchor="end">
                  {tick(v)}
                </text>
              </g>
            ))}
            {columns.map((c, i) => {
              let acc = 0;
              const x = m.l + i * band + (band - barW) / 2;
              return (
                <g key={c.key} data-column={c.key}>
                  {series.map((s) => {
                    const v = value(c.key, s.key);
                    if (!v) return null;
                    const y1 = y(acc + v);
                    const y0 = y(acc);
                    acc += v;
                    return (
                      <rect key={s.key} x={x} y={y1} width={barW} height={Math.max(0.5, y0 - y1)} fill={s.color} data-series={s.key}>
                        <title>{`${c.label} · ${s.label}: ${format(v)}`}</title>
                      </rect>
                    );
                  })}
                  {i % every === 0 ? (
                    <text className="fu-chart-axis-label" x={m.l + i * band + band / 2} y={height - 8} textAnchor="middle">
                      {c.label}
                    </text>
                  ) : null}
                </g>
              );
            })}
            <line className="fu-chart-axis" x1={m.l} x2={width - m.r} y1={y(0)} y2={y(0)} />
            {marker && markerAt >= 0 ? (
              <g data-marker={marker.column}>
                <line x1={markX} x2={markX} y1={m.t - 4} y2={y(0)} stroke="#b45309" strokeWidth={2} strokeDasharray="5 4" />
                <text
                  className="fu-chart-value"
                  x={markX}
                  y={12}
                  textAnchor={markX < width * 0.2 ? 'start' : markX > width * 0.8 ? 'end' : 'middle'}
                  fill="#b45309"
                >
                  {marker.label}
                </text>
              </g>
            ) : null}
          </svg>
        );
      }}
    </ChartFigure>
  );
}

interface BarChartProps {
  title: string;
  desc: string;
  rows: RowDef[];
  series: SeriesDef[];
  value: (row: string, series: string) => number;
  rowHeader: string;
  testId?: string;
  /** Text after each bar's value (a share, a change). */
  note?: (row: string, series: string) => string | null;
  empty?: string;
}

/** Horizontal bars, one row per label (label above its bar so long Vietnamese names fit a phone); grouped when several series. */
export function BarChart({ title, desc, rows, series, value, rowHeader, testId, note, empty }: BarChartProps) {
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => value(r.key, s.key))));
  if (!rows.length && empty) {
    return (
      <p className="muted fu-chart-empty" data-testid={testId ? `${testId}-empty` : undefined}>
        {empty}
      </p>
    );
  }
  return (
    <ChartFigure
      title={title}
      desc={desc}
      legend={series}
      testId={testId}
      table={<DataTable caption={title} rowHeader={rowHeader} rows={rows} series={series} value={value} />}
    >
      {(width, ids) => {
        const barH = 14;
        const gap = 4;
        const labelH = 18;
        const rowH = labelH + series.length * (barH + gap) + 8;
        const height = Math.max(rowH, rows.length * rowH);
        const valueW = 84;
        const plotW = Math.max(40, width - valueW);
        return (
          <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${ids.title} ${ids.desc}`}>
            <SvgTitle ids={ids} title={title} desc={desc} />
            {rows.map((r, i) => {
              const top = i * rowH;
              return (
                <g key={r.key} data-row={r.key}>
                  <text className="fu-chart-row-label" x={0} y={top + 13}>
                    <title>{r.label}</title>
                    {fit(r.label, width)}
                  </text>
                  {series.map((s, j) => {
                    const v = value(r.key, s.key);
                    const w = max > 0 ? (v / max) * plotW : 0;
                    const yb = top + labelH + j * (barH + gap);
                    const extra = note?.(r.key, s.key);
                    return (
                      <g key={s.key}>
                        <rect x={0} y={yb} width={Math.max(v > 0 ? 2 : 0, w)} height={barH} rx={2} fill={s.color}>
                          <title>{`${r.label}${series.length > 1 ? ` · ${s.label}` : ''}: ${formatCount(v)}`}</title>
                        </rect>
                        <text className="fu-chart-value" x={Math.max(v > 0 ? 2 : 0, w) + 6} y={yb + barH - 2}>
                          {formatCount(v)}
                          {extra ? ` (${extra})` : ''}
                        </text>
                      </g>
                    );
                  })}
                </g>
              );
            })}
          </svg>
        );
      }}
    </ChartFigure>
  );
}

interface LineChartProps {
  title: string;
  desc: string;
  columns: RowDef[];
  series: SeriesDef[];
  /** The value in a period, or null where there is nothing to measure (a gap in the line). */
  value: (column: string, series: string) => number | null;
  rowHeader: string;
  testId?: string;
  height?: number;
  /** How a value reads in tooltips and the table. */
  format?: (n: number | null) => string;
  /** How an axis tick reads (the value format by default). */
  tickFormat?: (n: number) => string;
  /** Fixed bounds and ticks of the value axis; by default from 0 to a round top above the largest value. */
  scale?: { min: number; max: number; ticks: number[] };
}

/** Values over time, one line per series, gaps where a period had nothing to measure. */
export function LineChart({ title, desc, columns, series, value, rowHeader, testId, height = 200, format = formatCount, tickFormat, scale }: LineChartProps) {
  const values = columns.flatMap((c) => series.map((s) => value(c.key, s.key))).filter((v): v is number => v !== null);
  const axis = (() => {
    if (scale) return scale;
    const { top, step } = niceScale(Math.max(0, ...values));
    const ticks: number[] = [];
    for (let v = 0; v <= top; v += step) ticks.push(v);
    return { min: 0, max: top, ticks };
  })();
  const tick = tickFormat ?? ((n: number) => format(n));
  return (
    <ChartFigure
      title={title}
      desc={desc}
      legend={series}
      testId={testId}
      table={<DataTable caption={title} rowHeader={rowHeader} rows={columns} series={series} value={value} format={format} />}
    >
      {(width, ids) => {
        const m = { l: 52, r: 12, t: 10, b: 28 };
        const plotW = Math.max(40, width - m.l - m.r);
        const plotH = height - m.t - m.b;
        const band = plotW / Math.max(1, columns.length);
        const x = (i: number) => m.l + i * band + band / 2;
        const span = axis.max - axis.min || 1;
        const y = (v: number) => m.t + plotH - ((Math.min(axis.max, Math.max(axis.min, v)) - axis.min) / span) * plotH;
        const every = Math.max(1, Math.ceil((columns.length * 46) / plotW));
        return (
          <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${ids.title} ${ids.desc}`}>
            <SvgTitle ids={ids} title={title} desc={desc} />
            {axis.ticks.map((v) => (
              <g key={v} className="fu-chart-grid">
                <line x1={m.l} x2={width - m.r} y1={y(v)} y2={y(v)} />
                <text x={m.l - 6} y={y(v) + 4} textAnchor="end">
                  {tick(v)}
                </text>
              </g>
            ))}
            {series.map((s) => {
              // Split the line where a period has no value.
              const segments: string[] = [];
              let current = '';
              columns.forEach((c, i) => {
                const v = value(c.key, s.key);
                if (v === null) {
                  if (current) segments.push(current);
                  current = '';
                } else current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
              });
              if (current) segments.push(current);
              return (
                <g key={s.key} data-series={s.key}>
                  {segments.map((d, i) => (
                    <path key={i} d={d} fill="none" stroke={s.color} strokeWidth={2.5} strokeLinejoin="round" />
                  ))}
                  {columns.map((c, i) => {
                    const v = value(c.key, s.key);
                    return v === null ? null : (
                      <circle key={c.key} cx={x(i)} cy={y(v)} r={4} fill="#fff" stroke={s.color} strokeWidth={2} data-column={c.key} data-value={v}>
                        <title>{`${c.label} · ${s.label}: ${format(v)}`}</title>
                      </circle>
                    );
                  })}
                </g>
              );
            })}
            {columns.map((c, i) =>
              i % every === 0 ? (
                <text key={c.key} className="fu-chart-axis-label" x={x(i)} y={height - 8} textAnchor="middle">
                  {c.label}
                </text>
              ) : null,
            )}
          </svg>
        );
      }}
    </ChartFigure>
  );
}

/** Rates over time (0–100 %), one line per series, gaps where a period had nothing to measure. */
export function RateLineChart(props: Omit<LineChartProps, 'format' | 'tickFormat' | 'scale'>) {
  return <LineChart {...props} format={formatRate} scale={{ min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] }} />;
}

interface DistributionProps {
  title: string;
  desc: string;
  parts: SeriesDef[];
  value: (part: string) => number;
  rowHeader: string;
  valueHeader: string;
  testId?: string;
}

/** One bar split into the share of each part (ratings 1–5), with counts and shares. */
export function DistributionBar({ title, desc, parts, value, rowHeader, valueHeader, testId }: DistributionProps) {
  const total = parts.reduce((sum, p) => sum + value(p.key), 0);
  const { t } = useI18n();
  return (
    <ChartFigure
      title={title}
      desc={desc}
      legend={parts}
      testId={testId}
      table={
        <table className="fu-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{rowHeader}</th>
              <th scope="col" className="fu-num">
                {valueHeader}
              </th>
              <th scope="col" className="fu-num">
                {t('chart.share')}
              </th>
            </tr>
          </thead>
          <tbody>
            {parts.map((p) => (
              <tr key={p.key}>
                <th scope="row">{p.label}</th>
                <td className="fu-num">{formatCount(value(p.key))}</td>
                <td className="fu-num">{formatRate(total ? value(p.key) / total : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width, ids) => {
        const height = 44;
        let acc = 0;
        return (
          <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${ids.title} ${ids.desc}`}>
            <SvgTitle ids={ids} title={title} desc={desc} />
            {total === 0 ? <rect x={0} y={4} width={width} height={32} rx={4} fill="#e5ecea" /> : null}
            {parts.map((p) => {
              const v = value(p.key);
              if (!v || !total) return null;
              const w = (v / total) * width;
              const x = (acc / total) * width;
              acc += v;
              return (
                <g key={p.key} data-part={p.key}>
                  <rect x={x} y={4} width={w} height={32} fill={p.color}>
                    <title>{`${p.label}: ${formatCount(v)} (${formatRate(v / total)})`}</title>
                  </rect>
                  {w > 44 ? (
                    <text className="fu-chart-in-bar" x={x + w / 2} y={25} textAnchor="middle">
                      {formatRate(v / total)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </svg>
        );
      }}
    </ChartFigure>
  );
}
