// The overview's sparklines: each signal's last half hour as one-minute means, kept current
// from the live stream by folding each new value into its minute (no query of the half hour
// again), and drawn on a plain <canvas> by a small function. Pure logic first (tested in
// test/sparkline.test.ts), then SparkBoard, which redraws only the sparklines whose data
// changed, at most once per animation frame: a hundred ECharts instances, each redrawn on
// every refresh, took 80–135 ms of the main thread a time (docs/benchmarks.md).

export const MINUTE_MS = 60_000;
export const WINDOW_MS = 30 * MINUTE_MS;

// One minute of a signal: its mean over `count` points.
export interface MinuteMean {
  start: number; // ms since the epoch, a whole minute
  mean: number | null;
  count: number;
}

// `value` at `tsMs` folded into `history` (minutes in time order): into its minute's mean,
// or as a new minute; minutes older than `windowMs` before the newest are dropped. A value
// older than the history's first minute is ignored. Returns the same array.
export function addToMinutes(
  history: MinuteMean[],
  tsMs: number,
  value: number,
  windowMs = WINDOW_MS,
): MinuteMean[] {
  if (!Number.isFinite(value)) return history;
  const start = Math.floor(tsMs / MINUTE_MS) * MINUTE_MS;
  let i = history.length - 1;
  while (i >= 0 && history[i].start > start) --i;
  if (i >= 0 && history[i].start === start) {
    const m = history[i];
    const n = m.mean === null ? 0 : m.count || 1;
    m.mean = ((m.mean ?? 0) * n + value) / (n + 1);
    m.count = n + 1;
  } else if (i >= 0 || history.length === 0) {
    history.splice(i + 1, 0, { start, mean: value, count: 1 });
  } else {
    return history; // before what is kept
  }
  const newest = history[history.length - 1].start;
  let old = 0;
  while (old < history.length && history[old].start <= newest - windowMs) ++old;
  if (old > 0) history.splice(0, old);
  return history;
}

// Where each value goes on a canvas `width` × `height` (pixels) with `pad` pixels above and
// below: x by position (the first at 0, the last at width), y scaled between the values'
// minimum (bottom) and maximum (top), a flat series in the middle; null where there is no
// value (the line breaks there).
export function sparkPoints(
  values: (number | null)[],
  width: number,
  height: number,
  pad = 2,
): ({ x: number; y: number } | null)[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const span = max - min;
  const inner = Math.max(0, height - 2 * pad);
  return values.map((v, i) => {
    if (v === null || !Number.isFinite(v)) return null;
    const y = span > 0 ? pad + inner * (1 - (v - min) / span) : height / 2;
    return { x: values.length > 1 ? i * step : width / 2, y };
  });
}

// Draws `values` as a line on `ctx` (its canvas `width` × `height` device pixels).
export function drawSparkline(
  ctx: CanvasRenderingContext2D,
  values: (number | null)[],
  width: number,
  height: number,
  color: string,
  lineWidth: number,
): void {
  ctx.clearRect(0, 0, width, height);
  const points = sparkPoints(values, width, height, Math.ceil(lineWidth));
  ctx.beginPath();
  let drawing = false;
  for (const p of points) {
    if (p === null) {
      drawing = false;
      continue;
    }
    if (drawing) ctx.lineTo(p.x, p.y);
    else ctx.moveTo(p.x, p.y);
    drawing = true;
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.lineJoin = 'round';
  ctx.stroke();
}

// Every sparkline of a page: their histories and canvases by tag. Outside Vue's reactivity
// on purpose: a new value redraws its own canvas, nothing else, at the next animation frame.
export class SparkBoard {
  private readonly history = new Map<string, MinuteMean[]>();
  private readonly canvases = new Map<string, HTMLCanvasElement>();
  private readonly sizes = new WeakMap<Element, { width: number; height: number }>();
  private readonly dirty = new Set<string>();
  private frame = 0;
  private readonly resized = new ResizeObserver((entries) => {
    for (const e of entries) {
      const tag = (e.target as HTMLElement).dataset.tag;
      if (!tag) continue;
      this.sizes.set(e.target, { width: e.contentRect.width, height: e.contentRect.height });
      this.mark(tag);
    }
  });

  constructor(private readonly color = '#3b82f6') {}

  attach(tag: string, canvas: HTMLCanvasElement): void {
    canvas.dataset.tag = tag;
    this.canvases.set(tag, canvas);
    this.resized.observe(canvas); // reports its size, then draws
  }

  detach(tag: string, canvas: HTMLCanvasElement): void {
    this.resized.unobserve(canvas);
    if (this.canvases.get(tag) === canvas) this.canvases.delete(tag);
  }

  // A tag's half hour as the query answered it (minutes in time order).
  setHistory(tag: string, minutes: MinuteMean[]): void {
    this.history.set(tag, minutes);
    this.mark(tag);
  }

  add(tag: string, tsMs: number, value: number): void {
    const h = this.history.get(tag) ?? [];
    this.history.set(tag, addToMinutes(h, tsMs, value));
    this.mark(tag);
  }

  close(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.resized.disconnect();
  }

  private mark(tag: string): void {
    this.dirty.add(tag);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const ratio = window.devicePixelRatio || 1;
    for (const tag of this.dirty) {
      const canvas = this.canvases.get(tag);
      const size = canvas && this.sizes.get(canvas);
      if (!canvas || !size) continue; // drawn once it is attached and measured
      const width = Math.round(size.width * ratio);
      const height = Math.round(size.height * ratio);
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      const values = (this.history.get(tag) ?? []).map((m) => m.mean);
      drawSparkline(ctx, values, width, height, this.color, 1.5 * ratio);
      // For tests and benchmarks: this one shows its data (once, not every redraw).
      if (values.length > 0 && !canvas.dataset.drawn) canvas.dataset.drawn = 'true';
    }
    this.dirty.clear();
  }
}
