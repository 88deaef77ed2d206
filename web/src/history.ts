// What resolution a signal's chart asks for: bucket aggregates sized to the chart's pixels
// over a wide range, raw points once a pixel is a second or less (test/history.test.ts).

// Bucket widths the API is asked for: round numbers, so that nearby zooms share them.
const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
  43200, 86400, 172800, 604800];

export interface Resolution {
  every: string | null; // null: raw points
  seconds: number; // the bucket width (1 for raw)
}

// The resolution for [fromMs, toMs) drawn on `pixels` pixels: one bucket per pixel or
// wider; raw points when that would be a second or less.
export function resolutionFor(fromMs: number, toMs: number, pixels: number): Resolution {
  const perPixel = (toMs - fromMs) / 1000 / Math.max(1, pixels);
  if (perPixel <= 1) return { every: null, seconds: 1 };
  const step = STEPS_S.find((s) => s >= perPixel) ?? STEPS_S[STEPS_S.length - 1];
  return { every: `${step}s`, seconds: step };
}

// GET /api/v1/query for `tag` over the range at the resolution.
export function queryUrl(tag: string, fromMs: number, toMs: number, r: Resolution): string {
  const params = new URLSearchParams({
    tag,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  });
  if (r.every) {
    params.set('every', r.every);
    params.set('agg', 'mean,min,max');
  } else {
    params.set('limit', '20000');
  }
  return '/api/v1/query?' + params.toString();
}

export interface Series {
  tag: string;
  points?: [string, number | null, number][];
  buckets?: { start: string; mean: number | null; min: number | null; max: number | null }[];
}

// [time ms, value] pairs of an answer, buckets or raw points alike (a bucket at its middle).
export function seriesData(s: Series, r: Resolution): [number, number | null][] {
  if (s.points) return s.points.map(([ts, v]) => [Date.parse(ts), v]);
  const half = (r.seconds * 1000) / 2;
  return (s.buckets ?? []).map((b) => [Date.parse(b.start) + half, b.mean]);
}

// A glob of the API's (`*` any run, `?` one character) as a test of a path.
export function globMatches(glob: string, path: string): boolean {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + re + '$').test(path);
}
