import { describe, expect, it } from 'vitest';
import type { Equipment } from '../src/api';
import { machinesByLine, signalName, siteEquipment, stateShape } from '../src/plant';

const asset = (path: string, tags: string[] = [], state: string | null = null): Equipment => ({
  path,
  name: path.split('/').pop() ?? path,
  level: 'equipment',
  description: '',
  tags: tags.map((name) => ({ name, unit: null })),
  state: state ? { state, since: '2026-12-05T08:00:00Z', reason: null } : null,
});

describe('the plant tree', () => {
  it('groups machines by line and leaves out the trunk', () => {
    const lines = machinesByLine([
      asset('acme'),
      asset('acme/line-1'),
      asset('acme/line-1/cnc-01', ['l1.cnc-01.power']),
      asset('acme/line-1/cnc-02', [], 'down'),
      asset('acme/line-2/press', ['l2.press.force']),
    ]);
    expect([...lines.keys()]).toEqual(['acme/line-1', 'acme/line-2']);
    expect(lines.get('acme/line-1')?.map((m) => m.equipment.name)).toEqual(['cnc-01', 'cnc-02']);
  });

  it('names signals and shapes states', () => {
    expect(signalName('line-1.cnc-01.torque')).toBe('torque');
    expect(signalName('ai4i/mill-01/torque_Nm')).toBe('torque_Nm');
    expect(signalName('flat')).toBe('flat');
    expect(stateShape('running')).not.toBe(stateShape('down'));
    expect(stateShape(undefined)).toBe('○');
  });
});

describe('siteEquipment', () => {
  it("groups a site's forwarded tags by the equipment between the site and the signal", () => {
    const tags = [
      'suzhou/press-2/temperature',
      'suzhou/press-1/temperature',
      'suzhou/press-1/pressure',
      'suzhou/hall/line-3/oven/temp',
      'suzhou/ambient',
      'suzhou/press-1/temperature:mean_1m', // a rollup of the edge's retention
      'suzhou-north/press-1/temperature', // another site
      'line-1.cnc-01.power',
    ];
    expect(siteEquipment('suzhou', tags)).toEqual([
      { name: '', tags: ['suzhou/ambient'] },
      { name: 'hall/line-3/oven', tags: ['suzhou/hall/line-3/oven/temp'] },
      { name: 'press-1', tags: ['suzhou/press-1/pressure', 'suzhou/press-1/temperature'] },
      { name: 'press-2', tags: ['suzhou/press-2/temperature'] },
    ]);
    expect(siteEquipment('nowhere', tags)).toEqual([]);
  });
});
