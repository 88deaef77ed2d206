import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../src/api';
import { applyAlarmEvent, byUrgency, type AlarmEvent } from '../src/alarmStream';

const normal: AlarmState = {
  alarm: 'oven-high',
  type: 'high',
  source: 'oven.temp',
  priority: 'high',
  equipment: 'acme/line-1/oven',
  description: '',
  state: 'normal',
  active: false,
  acknowledged: true,
  active_since: null,
  updated_at: '2026-12-05T08:00:00Z',
};
const event = (state: string, ts: string): AlarmEvent => ({
  alarm: 'oven-high',
  equipment: 'acme/line-1/oven',
  priority: 'high',
  event: 'x',
  ts,
  state,
  value: 236,
});

describe('the alarm stream', () => {
  it('follows an alarm through ISA-18.2 states', () => {
    let s = applyAlarmEvent([normal], event('unacknowledged', '2026-12-05T08:01:00Z'));
    expect(s[0]).toMatchObject({ state: 'unacknowledged', active: true, acknowledged: false });
    expect(s[0].active_since).toBe('2026-12-05T08:01:00Z');
    s = applyAlarmEvent(s, event('acknowledged', '2026-12-05T08:02:00Z'));
    expect(s[0]).toMatchObject({ active: true, acknowledged: true });
    expect(s[0].active_since).toBe('2026-12-05T08:01:00Z'); // still the same episode
    s = applyAlarmEvent(s, event('normal', '2026-12-05T08:03:00Z'));
    expect(s[0]).toMatchObject({ active: false, acknowledged: true, active_since: null });
    s = applyAlarmEvent(s, event('returned-unacknowledged', '2026-12-05T08:04:00Z'));
    expect(s[0]).toMatchObject({ active: false, acknowledged: false });
  });

  it('adds an alarm it did not know', () => {
    const s = applyAlarmEvent([], event('unacknowledged', '2026-12-05T08:01:00Z'));
    expect(s).toHaveLength(1);
    expect(s[0].alarm).toBe('oven-high');
  });

  it('puts the unacknowledged and the most urgent first', () => {
    const a = { ...normal, alarm: 'a', priority: 'low', acknowledged: false };
    const b = { ...normal, alarm: 'b', priority: 'critical', acknowledged: true };
    const c = { ...normal, alarm: 'c', priority: 'high', acknowledged: false };
    expect([a, b, c].sort(byUrgency).map((x) => x.alarm)).toEqual(['c', 'a', 'b']);
  });
});
