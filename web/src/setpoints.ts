// Set-point recommendations on the models page (components/SetpointPanel.vue): the controls
// spec the panel starts from (docs/optimize.md#the-controls-spec) and how it reads the answer
// of POST /api/v1/optimize.
import type { Schemas } from './api';

export type SetpointResult = Schemas['SetpointResult'];
export type SetpointPoint = Schemas['SetpointPoint'];

// The demo's spec for line 2's mill (src/cli/demo_setpoints.cpp writes the same into the
// hub's folder as ai4i-controls.yaml; test/setpoints.test.ts holds the two together).
export const DEMO_MODEL = 'ai4i-machine-failure';
export const DEMO_CONTROLS = `# Set-points of line 2's mill-01 (docs/optimize.md#set-points): the spindle speed and
# torque that minimise the failure model's predicted risk, the mill's other inputs (air and
# process temperature, tool wear, product variant) held at its latest values, and its
# mechanical power, what sets the cutting rate, kept at or above 5.5 kW.
# factoryhub optimize --hub DEMO --controls ai4i-controls.yaml
model: ai4i-machine-failure
controls:
  - { name: rotational_speed_rpm, min: 1300, max: 2200, step: 10, unit: rpm }
  - { name: torque_Nm, min: 20, max: 65, limits: [25, 60], unit: N·m }   # the torque's spec limits
context:
  equipment: acme/shanghai/machining/line-2/mill-01
objective: { minimize: risk }
constraints:
  - { name: mechanical_power_W, expr: "torque_Nm * rotational_speed_rpm * 2 * pi / 60", min: 5500 }
search: { seed: 42 }
`;

// A spec to start from for a model: the demo's for the demo's model; else its most
// important inputs as controls, with bounds for a person to fill in, held at the latest
// values of `equipment` (the machine its predictions are about) when known.
export function startingSpec(model: string, name: string, inputs: string[], equipment?: string): string {
  if (name === DEMO_MODEL) return DEMO_CONTROLS;
  const controls = inputs.slice(0, 2);
  return [
    '# The inputs you set, each with the bounds it may run at (docs/optimize.md#the-controls-spec).',
    `model: ${model}`,
    'controls:',
    ...(controls.length ? controls : ['INPUT']).map((c) => `  - { name: ${c}, min: 0, max: 1 }   # set the bounds`),
    ...(equipment ? ['context:', `  equipment: ${equipment}`] : []),
    'objective: { minimize: risk }',
    'search: { seed: 42 }',
    '',
  ].join('\n');
}

// The change of the prediction, as a share of where it is now (null without one).
export function relativeChange(r: Pick<SetpointResult, 'current' | 'recommended'>): number | null {
  const now = r.current?.prediction;
  const then = r.recommended.prediction;
  if (now === null || now === undefined || then === null || then === undefined || now === 0) return null;
  return (then - now) / Math.abs(now);
}

// Each constraint and term at both points, by name.
export interface Check {
  name: string;
  kind: 'constraint' | 'term';
  min: number | null;
  max: number | null;
  sense: string | null;
  now: number | null;
  nowHolds: boolean | null;
  recommended: number | null;
  holds: boolean | null;
}

export function checks(r: Pick<SetpointResult, 'current' | 'recommended'>): Check[] {
  const out: Check[] = r.recommended.constraints.map((c) => {
    const now = r.current?.constraints.find((x) => x.name === c.name);
    return {
      name: c.name,
      kind: 'constraint',
      min: c.min,
      max: c.max,
      sense: null,
      now: now?.value ?? null,
      nowHolds: now ? now.holds : null,
      recommended: c.value,
      holds: c.holds,
    };
  });
  for (const term of r.recommended.terms) {
    const now = r.current?.terms.find((x) => x.name === term.name);
    out.push({
      name: term.name,
      kind: 'term',
      min: null,
      max: null,
      sense: term.sense,
      now: now?.value ?? null,
      nowHolds: null,
      recommended: term.value,
      holds: null,
    });
  }
  return out;
}
