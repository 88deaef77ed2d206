import { describe, expect, it } from 'vitest';
import {
  band,
  CRITERIA,
  ganttBars,
  measureCost,
  moveWeight,
  normalise,
  notChosen,
  paretoPoints,
  planChange,
  sameWeights,
  weightsOf,
  weightsQuery,
  type PlanMeasure,
  type Weights,
} from '../src/plan';

function measure(id: string, over: Partial<PlanMeasure> = {}): PlanMeasure {
  return {
    id,
    name: id.toUpperCase(),
    family: 'D',
    chosen: true,
    start: '2027Q1',
    end: '2027Q1',
    start_index: 0,
    duration: 1,
    one_off: 100,
    running: 10,
    complexity: 1,
    people: {},
    trains: {},
    trains_basis: '',
    requires: [],
    excludes: [],
    mandatory: false,
    effects: {},
    where: 'plan.yaml:1',
    contribution: null,
    ...over,
  };
}

const W: Weights = { efficiency: 0.4, quality: 0.2, data: 0.1, technology_cost: 0.1, complexity: 0.1, talent_cost: 0.1 };

describe('the Gantt chart', () => {
  it('has a bar per chosen measure, the earliest first, then by family', () => {
    const bars = ganttBars({
      measures: [
        measure('late', { start_index: 3, start: '2027Q4', end: '2028Q1', duration: 2 }),
        measure('talent', { family: 'S' }),
        measure('data', { family: 'D' }),
        measure('out', { chosen: false, start_index: null, start: null, end: null }),
        measure('tech', { family: 'T' }),
      ],
    });
    expect(bars.map((b) => b.id)).toEqual(['data', 'tech', 'talent', 'late']);
    expect(bars[3]).toMatchObject({ start: 3, duration: 2, startLabel: '2027Q4', endLabel: '2028Q1' });
  });

  it('leaves out a chosen measure without a quarter', () => {
    expect(ganttBars({ measures: [measure('a', { start_index: null })] })).toEqual([]);
  });
});

describe('the weights', () => {
  it('are normalised to a sum of 1, all zero giving equal weights', () => {
    const n = normalise({ ...W, efficiency: 1.4 });
    expect(CRITERIA.reduce((s, c) => s + n[c], 0)).toBeCloseTo(1, 12);
    expect(n.efficiency).toBeCloseTo(1.4 / 2, 12);
    const zero = normalise({ efficiency: 0, quality: 0, data: 0, technology_cost: 0, complexity: 0, talent_cost: 0 });
    expect(zero.quality).toBeCloseTo(1 / 6, 12);
  });

  it('move one and the others keep their proportions, as the sensitivity analysis does', () => {
    const m = moveWeight(W, 'technology_cost', 0.55);
    expect(m.technology_cost).toBe(0.55);
    expect(CRITERIA.reduce((s, c) => s + m[c], 0)).toBeCloseTo(1, 12);
    // wₖ·(1 − λ)/(1 − wᵢ)
    expect(m.efficiency).toBeCloseTo((0.4 * 0.45) / 0.9, 12);
    expect(m.efficiency / m.quality).toBeCloseTo(2, 12);
    // To the top: the others weigh nothing; from the top down: they share what is left.
    const top = moveWeight(W, 'technology_cost', 1);
    expect(top.efficiency).toBe(0);
    const down = moveWeight(top, 'technology_cost', 0.5);
    expect(down.quality).toBeCloseTo(0.1, 12);
  });

  it('are asked for with every criterion, rounded', () => {
    expect(weightsQuery({ ...W, efficiency: 1 / 3 })).toBe(
      'efficiency=0.3333,quality=0.2,data=0.1,technology_cost=0.1,complexity=0.1,talent_cost=0.1',
    );
    expect(weightsOf({ efficiency: null, quality: 1, data: 0, technology_cost: 0, complexity: 0, talent_cost: 0 }).efficiency).toBe(0);
    expect(sameWeights(W, { ...W, data: 0.1004 })).toBe(true);
    expect(sameWeights(W, { ...W, data: 0.2 })).toBe(false);
  });

  it("draw each weight's stable range as a band in percent of the track", () => {
    expect(band({ low: 0.13, high: 0.56 })).toEqual({ left: 13, width: expect.closeTo(43, 9) });
    expect(band({ low: null, high: 0.5 })).toBeNull();
    expect(band(undefined)).toBeNull();
    expect(band({ low: -0.1, high: 1.2 })).toEqual({ left: 0, width: 100 });
  });
});

describe('two plans', () => {
  it('differ by what one adds, drops and moves', () => {
    const before = { measures: [measure('a'), measure('b'), measure('c', { chosen: false })] };
    const after = { measures: [measure('a', { start: '2027Q2' }), measure('b', { chosen: false }), measure('c')] };
    expect(planChange(before, after)).toEqual({ adds: ['c'], drops: ['b'], moved: ['a'] });
    expect(planChange(before, before)).toEqual({ adds: [], drops: [], moved: [] });
  });

  it('list the measures left out by their TOPSIS rank', () => {
    const out = notChosen({
      measures: [
        measure('x', { chosen: false, topsis: { score: 0.2, rank: 7 } }),
        measure('y', { chosen: false, topsis: { score: 0.5, rank: 2 } }),
        measure('z'),
      ],
    });
    expect(out.map((m) => m.id)).toEqual(['y', 'x']);
  });

  it("count a measure's one-off and its running cost once it is done", () => {
    expect(measureCost(measure('a', { start_index: 1, duration: 2 }), 8)).toBe(100 + 10 * 5);
    expect(measureCost(measure('a', { start_index: null }), 8)).toBe(100);
  });

  it('put the chosen plan apart from the Pareto front, the front by cost', () => {
    const { front, chosen } = paretoPoints({
      pareto: [
        { efficiency: 1, quality: 0, cost: 300, measures: ['a'], chosen: false },
        { efficiency: 0, quality: 0, cost: 0, measures: [], chosen: false },
        { efficiency: 1.2, quality: 2, cost: 500, measures: ['a', 'b'], chosen: true },
      ],
    });
    expect(front.map((p) => p[0])).toEqual([0, 300]);
    expect(chosen).toEqual([[500, 1.2, 2, 2]]);
  });
});
