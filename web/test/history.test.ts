import { describe, expect, it } from 'vitest';
import { globMatches, queryUrl, resolutionFor, seriesData } from '../src/history';

const HOUR = 3600e3;

describe('a signal chart asks for what its pixels can show', () => {
  it('buckets a wide range, one per pixel or wider, in round widths', () => {
    expect(resolutionFor(0, 365 * 24 * HOUR, 1000)).toEqual({ every: '43200s', seconds: 43200 });
    expect(resolutionFor(0, 4 * HOUR, 800)).toEqual({ every: '30s', seconds: 30 });
    expect(resolutionFor(0, 24 * HOUR, 1200)).toEqual({ every: '120s', seconds: 120 });
  });

  it('asks for raw points once a pixel is a second or less', () => {
    expect(resolutionFor(0, 10 * 60e3, 800)).toEqual({ every: null, seconds: 1 });
  });

  it('builds the query with the range, and reads buckets and points alike', () => {
    const r = resolutionFor(0, 4 * HOUR, 800);
    const url = new URL(queryUrl('line-1.cnc-01.torque', 0, 4 * HOUR, r), 'http://x');
    expect(url.searchParams.get('every')).toBe('30s');
    expect(url.searchParams.get('agg')).toBe('mean,min,max');
    expect(url.searchParams.get('from')).toBe('1970-01-01T00:00:00.000Z');
    const raw = new URL(queryUrl('t', 0, 60e3, { every: null, seconds: 1 }), 'http://x');
    expect(raw.searchParams.get('every')).toBeNull();
    expect(
      seriesData({ tag: 't', buckets: [{ start: '1970-01-01T00:00:00Z', mean: 2, min: 1, max: 3 }] }, r),
    ).toEqual([[15000, 2]]);
    expect(seriesData({ tag: 't', points: [['1970-01-01T00:00:01Z', 5, 192]] }, r)).toEqual([[1000, 5]]);
  });

  it('matches the API globs of spc.yaml', () => {
    expect(globMatches('*/line-1/cnc-01', 'acme/sh/m/line-1/cnc-01')).toBe(true);
    expect(globMatches('*/line-1/cnc-01', 'acme/sh/m/line-1/cnc-011')).toBe(false);
    expect(globMatches('acme/line-?', 'acme/line-2')).toBe(true);
  });
});
