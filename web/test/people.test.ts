import { describe, expect, it } from 'vitest';
import { cellOrder, gapsOf, matrixColumns, shortLine, type Gap, type MatrixLine } from '../src/people';

const cell = (status: 'valid' | 'expiring' | 'expired' | 'pending' | 'missing', days: number | null = null) => ({
  status,
  valid_from: null,
  valid_to: null,
  days_left: days,
  certificate: null,
});

describe('the skills matrix', () => {
  it('sorts expired first, then missing, expiring (soonest first), pending, valid', () => {
    const order = [cell('valid', 600), cell('expiring', 40), cell('missing'), cell('expired', -3), cell('expiring', 10), cell('pending', 30)]
      .map((c, i) => ({ i, v: cellOrder(c) }))
      .sort((a, b) => a.v - b.v)
      .map((x) => x.i);
    expect(order).toEqual([3, 2, 4, 1, 5, 0]);
  });

  it('has a column per qualification after the fixed ones', () => {
    const line: MatrixLine = {
      line: 'acme/l1',
      columns: [
        { qualification: 'spc', name: 'SPC', operations: [], required: true, equipment: [], min_per_shift: 1 },
        { qualification: 'forklift', name: 'Forklift', operations: [], required: false, equipment: [], min_per_shift: null },
      ],
      rows: [],
    };
    const cols = matrixColumns(line, [{ key: 'person', label: () => 'Person', value: (r) => r.person }], (q) =>
      q.qualification + (q.required ? ' *' : ''),
    );
    expect(cols.map((c) => c.key)).toEqual(['person', 'q:spc', 'q:forklift']);
    expect(cols[1].label()).toBe('spc *');
    const row = { person: 'E1', name: 'x', class: null, shift: null, missing_required: 0, cells: [cell('valid', 9), cell('missing')] };
    expect(cols[2].value(row)).toBeLessThan(cols[1].value(row) as number);
  });
});

describe('the gaps', () => {
  const gap = (line: string, q: string, shortfall: number, after: number): Gap => ({
    line,
    qualification: q,
    shift: 'early',
    qualified: 1,
    expiring: 0,
    required: 2,
    shortfall,
    shortfall_after_expiry: after,
  });
  const gaps = [gap('a/l1', 'x', 0, 0), gap('a/l1', 'y', 0, 1), gap('a/l2', 'z', 2, 2), gap('a/l1', 'w', 1, 1)];

  it('of a line, the shortest first, only where people are short when asked', () => {
    expect(gapsOf(gaps, 'a/l1', true).map((g) => g.qualification)).toEqual(['w', 'y']);
    expect(gapsOf(gaps, 'a/l1', false).map((g) => g.qualification)).toEqual(['w', 'y', 'x']);
    expect(gapsOf(gaps, '', true).map((g) => g.qualification)).toEqual(['z', 'w', 'y']);
  });

  it("name a line by its path's last part", () => {
    expect(shortLine('acme/shanghai/machining/line-2')).toBe('line-2');
    expect(shortLine(null)).toBe('–');
  });
});
