// What the roadmap page (pages/Plan.vue) reads from GET /api/v1/plan and how it shapes it:
// the Gantt chart's bars, the weights the sliders move (the others keeping their proportions,
// as the plan's sensitivity analysis moves them: docs/optimize.md), the query that re-plans,
// and what changed between two plans.
import type { Schemas } from './api';

export type Plan = Schemas['Plan'];
export type PlanMeasure = Schemas['PlanMeasure'];
export type Criterion = keyof Schemas['PlanCriteria'];
export type Weights = Record<Criterion, number>;

// The source document's criteria, in its order: benefits, then costs.
export const CRITERIA: Criterion[] = ['efficiency', 'quality', 'data', 'technology_cost', 'complexity', 'talent_cost'];

// Data, technology, process, talent (the families of plan.yaml).
export const FAMILIES = ['D', 'T', 'P', 'S'] as const;
export type Family = (typeof FAMILIES)[number];
export const FAMILY_COLOURS: Record<Family, string> = {
  D: '#0891b2',
  T: '#7c3aed',
  P: '#d97706',
  S: '#16a34a',
};

export interface GanttBar {
  id: string;
  name: string;
  family: Family;
  start: number; // index of its first quarter in the horizon
  duration: number; // quarters
  startLabel: string;
  endLabel: string;
}

// The chosen measures as bars, the earliest first (ties: by family, then id); a chosen
// measure without a quarter (a plan that failed) is left out.
export function ganttBars(plan: Pick<Plan, 'measures'>): GanttBar[] {
  return plan.measures
    .filter((m) => m.chosen && m.start_index !== null && m.start_index !== undefined)
    .map((m) => ({
      id: m.id,
      name: m.name,
      family: m.family,
      start: m.start_index as number,
      duration: Math.max(1, m.duration),
      startLabel: m.start ?? '',
      endLabel: m.end ?? m.start ?? '',
    }))
    .sort(
      (a, b) =>
        a.start - b.start || FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) || a.id.localeCompare(b.id),
    );
}

// Weights as numbers (a null one is 0).
export function weightsOf(criteria: Schemas['PlanCriteria']): Weights {
  const out = {} as Weights;
  for (const c of CRITERIA) out[c] = criteria[c] ?? 0;
  return out;
}

// Weights summing to 1 (all zero: equal weights).
export function normalise(w: Weights): Weights {
  const sum = CRITERIA.reduce((s, c) => s + Math.max(0, w[c] ?? 0), 0);
  const out = {} as Weights;
  for (const c of CRITERIA) out[c] = sum > 0 ? Math.max(0, w[c] ?? 0) / sum : 1 / CRITERIA.length;
  return out;
}

// Weight `name` moved to `value` (0–1), the others keeping their proportions:
// wₖ·(1 − value)/(1 − w_name), the direction in which the plan's sensitivity ranges hold.
// When the others were all 0, they share what is left equally.
export function moveWeight(w: Weights, name: Criterion, value: number): Weights {
  const v = Math.min(1, Math.max(0, value));
  const base = normalise(w);
  const rest = 1 - base[name];
  const out = {} as Weights;
  for (const c of CRITERIA) {
    if (c === name) out[c] = v;
    else if (rest > 1e-12) out[c] = (base[c] * (1 - v)) / rest;
    else out[c] = (1 - v) / (CRITERIA.length - 1);
  }
  return out;
}

// The ?weights= value: every criterion, 4 decimals (criteria left out would weigh 0).
export function weightsQuery(w: Weights): string {
  return CRITERIA.map((c) => `${c}=${(Math.round((w[c] ?? 0) * 1e4) / 1e4).toString()}`).join(',');
}

export function sameWeights(a: Weights, b: Weights, tolerance = 1e-3): boolean {
  return CRITERIA.every((c) => Math.abs((a[c] ?? 0) - (b[c] ?? 0)) <= tolerance);
}

export function chosenIds(plan: Pick<Plan, 'measures'>): string[] {
  return plan.measures.filter((m) => m.chosen).map((m) => m.id);
}

// What `after` adds to and drops from `before` (ids, in order), and whether anything moved
// to another quarter.
export function planChange(
  before: Pick<Plan, 'measures'>,
  after: Pick<Plan, 'measures'>,
): { adds: string[]; drops: string[]; moved: string[] } {
  const was = new Map(before.measures.filter((m) => m.chosen).map((m) => [m.id, m.start]));
  const now = new Map(after.measures.filter((m) => m.chosen).map((m) => [m.id, m.start]));
  return {
    adds: [...now.keys()].filter((id) => !was.has(id)),
    drops: [...was.keys()].filter((id) => !now.has(id)),
    moved: [...now.keys()].filter((id) => was.has(id) && was.get(id) !== now.get(id)),
  };
}

// A slider's band: where its weight can move with the plan staying optimal, in percent of
// the track (null when the plan gave no range).
export function band(s: { low: number | null; high: number | null } | undefined): { left: number; width: number } | null {
  if (!s || s.low === null || s.high === null) return null;
  const low = Math.min(1, Math.max(0, s.low));
  const high = Math.min(1, Math.max(low, s.high));
  return { left: low * 100, width: (high - low) * 100 };
}

// The not-chosen measures, best ranked first (TOPSIS, then the weighted sum).
export function notChosen(plan: Pick<Plan, 'measures'>): PlanMeasure[] {
  const rank = (m: PlanMeasure) => m.topsis?.rank ?? Number.MAX_SAFE_INTEGER;
  return plan.measures.filter((m) => !m.chosen).sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

// A measure's cost over the horizon: one-off, and running for each quarter after it ends.
export function measureCost(m: PlanMeasure, quarters: number): number {
  const inUse = m.start_index === null || m.start_index === undefined ? 0 : Math.max(0, quarters - m.start_index - m.duration);
  return m.one_off + m.running * inUse;
}

// The Pareto front as scatter points: [cost, efficiency, quality, index]; the chosen plan's
// apart, to draw it on top.
export function paretoPoints(plan: Pick<Plan, 'pareto'>): {
  front: [number, number, number, number][];
  chosen: [number, number, number, number][];
} {
  const front: [number, number, number, number][] = [];
  const chosen: [number, number, number, number][] = [];
  plan.pareto.forEach((p, i) => {
    const point: [number, number, number, number] = [p.cost ?? 0, p.efficiency ?? 0, p.quality ?? 0, i];
    (p.chosen ? chosen : front).push(point);
  });
  front.sort((a, b) => a[0] - b[0]);
  return { front, chosen };
}
