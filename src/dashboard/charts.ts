// Time-series charts with uPlot (bundled; no CDN). Colours, axes and grid
// come from the page's CSS custom properties, so a chart follows the light
// or dark theme, and is rebuilt when the system theme changes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { localTime } from './format.js';

export interface ChartSeries {
  label: string;
  /** Palette index (a version keeps its colour across charts and refreshes). */
  colour: number;
  /** One value per x; null = no data. */
  values: (number | null)[];
}
export interface ChartData {
  /** Unix seconds, one per bucket. */
  x: number[];
  /** Bucket width in seconds. */
  resolution: number;
  series: ChartSeries[];
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Tick labels: 24-hour local time, the date where the day changes (or for daily buckets). */
function timeTicks(resolution: number) {
  return (_u: uPlot, splits: number[]) => {
    let lastDay = '';
    return splits.map((t) => {
      const d = new Date(t * 1000);
      const day = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
      const showDay = resolution >= 86400 || day !== lastDay;
      lastDay = day;
      return resolution >= 86400 ? day : showDay ? `${time}\n${day}` : time;
    });
  };
}
const TIME_INCRS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400];

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const SERIES_COLOURS = 8;

/** The CSS colour of series `i`, following the theme by itself. */
export const seriesVar = (i: number) => `var(--series-${(i % SERIES_COLOURS) + 1})`;
/** The colour of series `i` in the current theme (canvas needs the value). */
export const seriesColour = (i: number) => css(`--series-${(i % SERIES_COLOURS) + 1}`) || '#0969da';

function lastOf(u: uPlot, sidx: number): number | null {
  const values = u.data[sidx] ?? [];
  return (values[values.length - 1] as number | null | undefined) ?? null;
}
const timeLabel = (v: number | null) => (v == null ? '–' : localTime(new Date(v * 1000)).slice(0, 16));

export class TimeChart {
  private plot?: uPlot;
  private shape = '';
  private data: ChartData = { x: [], resolution: 60, series: [] };
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));
  private readonly onTheme = () => this.build();

  constructor(
    private readonly host: HTMLElement,
    private readonly yLabel: string,
    private readonly height = 280,
  ) {
    this.resize.observe(host);
    dark.addEventListener('change', this.onTheme);
  }

  private size() {
    return { width: Math.max(280, Math.floor(this.host.clientWidth)), height: this.height };
  }

  update(data: ChartData): void {
    this.data = data;
    const shape = this.shapeOf(data);
    if (this.plot && shape === this.shape) this.plot.setData([data.x, ...data.series.map((s) => s.values)]);
    else this.build();
  }

  private shapeOf(d: ChartData): string {
    return [d.resolution, ...d.series.map((s) => `${s.label}\u0001${s.colour}`)].join('\u0000');
  }

  private build(): void {
    this.plot?.destroy();
    this.shape = this.shapeOf(this.data);
    const fg = css('--fg-muted') || '#57606a';
    const grid = css('--grid') || '#d0d7de';
    const axis = (label?: string): uPlot.Axis => ({
      stroke: fg,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: '12px system-ui, sans-serif',
      labelFont: '12px system-ui, sans-serif',
      label,
    });
    const opts: uPlot.Options = {
      ...this.size(),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max ?? 0) * 1.15))] } },
      axes: [{ ...axis(), incrs: TIME_INCRS.filter((i) => i >= this.data.resolution), values: timeTicks(this.data.resolution), space: 60 }, { ...axis(this.yLabel), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 1e4, 2e4, 5e4, 1e5, 1e6], values: (_u, v) => v.map(String) }],
      series: [
        // Away from the cursor the legend shows the latest bucket.
        { label: 'Time', value: (u, v, _s, idx) => timeLabel(idx == null ? lastOf(u, 0) : v) },
        ...this.data.series.map((s) => ({
          label: s.label,
          stroke: seriesColour(s.colour),
          width: 2,
          points: { show: true, size: 6, fill: seriesColour(s.colour) },
          value: (u: uPlot, v: number | null, sidx: number, idx: number | null) => String((idx == null ? lastOf(u, sidx) : v) ?? '–'),
        })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot = new uPlot(opts, [this.data.x, ...this.data.series.map((s) => s.values)], this.host);
  }

  destroy(): void {
    this.resize.disconnect();
    dark.removeEventListener('change', this.onTheme);
    this.plot?.destroy();
    this.plot = undefined;
  }
}
