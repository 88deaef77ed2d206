import { describe, expect, it } from 'vitest';
import { addToMinutes, MINUTE_MS, sparkPoints, type MinuteMean } from '../src/sparkline';
import { newValues } from '../src/latestStream';

const T0 = Date.parse('2026-12-05T08:00:00Z');

describe('a sparkline', () => {
  it('scales values between the bottom and the top, by position', () => {
    const p = sparkPoints([0, 5, 10], 100, 24, 2);
    expect(p).toEqual([
      { x: 0, y: 22 },
      { x: 50, y: 12 },
      { x: 100, y: 2 },
    ]);
  });

  it('breaks at missing values and draws a flat or single value in the middle', () => {
    expect(sparkPoints([1, null, 3], 10, 10, 0)).toEqual([{ x: 0, y: 10 }, null, { x: 10, y: 0 }]);
    expect(sparkPoints([7, 7], 10, 20)).toEqual([
      { x: 0, y: 10 },
      { x: 10, y: 10 },
    ]);
    expect(sparkPoints([4], 10, 20)).toEqual([{ x: 5, y: 10 }]);
    expect(sparkPoints([], 10, 20)).toEqual([]);
    expect(sparkPoints([Infinity, 1], 10, 20)[0]).toBeNull();
  });

  it("folds each new value into its minute's mean and keeps half an hour", () => {
    const h: MinuteMean[] = [{ start: T0, mean: 10, count: 2 }];
    addToMinutes(h, T0 + 30_000, 16); // (10 * 2 + 16) / 3
    expect(h).toEqual([{ start: T0, mean: 12, count: 3 }]);
    addToMinutes(h, T0 + MINUTE_MS + 1, 5);
    expect(h.map((m) => m.mean)).toEqual([12, 5]);
    addToMinutes(h, T0 - 3 * MINUTE_MS, 99); // older than what is kept
    expect(h).toHaveLength(2);
    addToMinutes(h, T0 + 30 * MINUTE_MS, 1); // the first minute falls out of the half hour
    expect(h.map((m) => m.start)).toEqual([T0 + MINUTE_MS, T0 + 30 * MINUTE_MS]);
    addToMinutes(h, T0 + 10 * MINUTE_MS, 2); // late, within the window: in its place
    expect(h.map((m) => m.mean)).toEqual([5, 2, 1]);
    addToMinutes(h, T0 + 10 * MINUTE_MS, NaN);
    expect(h.map((m) => m.mean)).toEqual([5, 2, 1]);
  });

  it('takes from the stream only the values newer than it has', () => {
    const seen = new Map<string, number>();
    const at = (tag: string, s: number, value: number) => ({
      tag,
      ts: new Date(T0 + s * 1000).toISOString(),
      value,
    });
    // First sight: in the half hour the page queried already.
    expect(newValues([at('a', 0, 1), at('b', 0, 2)], seen)).toEqual([]);
    expect(newValues([at('a', 1, 3)], seen)).toEqual([at('a', 1, 3)]);
    // A reconnection's first event repeats what was seen.
    expect(newValues([at('a', 1, 3), at('b', 2, 4)], seen)).toEqual([at('b', 2, 4)]);
  });
});
