import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checks, DEMO_CONTROLS, relativeChange, startingSpec, type SetpointPoint } from '../src/setpoints';

describe('the controls spec the panel starts from', () => {
  it("is the demo's own for the demo's model (src/cli/demo_setpoints.cpp)", () => {
    const cpp = readFileSync(join(__dirname, '../../src/cli/demo_setpoints.cpp'), 'utf8');
    const m = cpp.match(/R"\(([\s\S]*?)\)"/);
    expect(m).not.toBeNull();
    expect(DEMO_CONTROLS).toBe(m![1]);
    expect(startingSpec('ai4i-machine-failure@1', 'ai4i-machine-failure', [])).toBe(DEMO_CONTROLS);
  });

  it("is a template of another model's most important inputs", () => {
    const spec = startingSpec('wear@2', 'wear', ['speed', 'feed', 'depth'], 'acme/l1/cnc-01');
    expect(spec).toContain('model: wear@2');
    expect(spec).toContain('- { name: speed, min: 0, max: 1 }');
    expect(spec).toContain('- { name: feed,');
    expect(spec).not.toContain('depth');
    expect(spec).toContain('equipment: acme/l1/cnc-01');
  });
});

describe('the answer', () => {
  const point = (prediction: number, power: number, holds: boolean): SetpointPoint => ({
    controls: {},
    prediction,
    objective: prediction,
    terms: [{ name: 'energy', value: power / 1000, sense: 'minimize', weight: 0.001 }],
    constraints: [{ name: 'power', value: power, min: 5500, max: null, holds }],
    feasible: holds,
    distance: { outside: [], tails: [], nearest_neighbour: 1, verdict: 'typical' },
  });

  it('gives the change of the prediction relative to now', () => {
    expect(relativeChange({ current: point(0.004, 6000, true), recommended: point(0.003, 5600, true) })).toBeCloseTo(-0.25, 12);
    expect(relativeChange({ current: null, recommended: point(0.003, 5600, true) })).toBeNull();
  });

  it('puts each constraint and term at both points side by side', () => {
    const rows = checks({ current: point(0.004, 5000, false), recommended: point(0.003, 5600, true) });
    expect(rows).toEqual([
      { name: 'power', kind: 'constraint', min: 5500, max: null, sense: null, now: 5000, nowHolds: false, recommended: 5600, holds: true },
      { name: 'energy', kind: 'term', min: null, max: null, sense: 'minimize', now: 5, nowHolds: null, recommended: 5.6, holds: null },
    ]);
  });
});
