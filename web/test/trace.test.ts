import { describe, expect, it } from 'vitest';
import { genealogyGraph, toCsv, type TracedLot } from '../src/trace';

const lot = (name: string, depth: number, path: string[], material = 'M'): TracedLot => ({
  lot: name,
  material,
  depth,
  path,
  quantity: 1,
  unit: 'pcs',
  status: 'consumed',
  made_by: null,
  inspections: 0,
  failed_inspections: 0,
});

describe('a genealogy as a graph', () => {
  it('places lots by depth and links each to the one before it on its path', () => {
    const g = genealogyGraph(lot('PAL', 0, ['PAL']), [
      lot('SH-1', 1, ['PAL', 'SH-1']),
      lot('SH-2', 1, ['PAL', 'SH-2']),
      lot('BAR', 2, ['PAL', 'SH-1', 'BAR']),
      lot('BAR', 2, ['PAL', 'SH-2', 'BAR']),
    ]);
    expect(g.nodes.map((n) => [n.name, n.x, n.y])).toEqual([
      ['PAL', 0, 0],
      ['SH-1', 220, 0],
      ['SH-2', 220, 70],
      ['BAR', 440, 0],
    ]);
    expect(g.links.map((l) => `${l.source}>${l.target}`)).toEqual([
      'M/PAL>M/SH-1',
      'M/PAL>M/SH-2',
      'M/SH-1>M/BAR',
      'M/SH-2>M/BAR',
    ]);
  });

  it('writes CSV as RFC 4180 says', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, null]])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n1,\r\n',
    );
  });
});
