import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  lagTone,
  browseQuery,
  expandable,
  isGood,
  mayBrowse,
  nodesSnippet,
  objectsFolder,
  selectable,
  stateKey,
  stateTone,
  tagsOf,
  TONE_SHAPES,
  treeNode,
  visibleRows,
  yamlScalar,
  type Picked,
} from '../src/sources';
import { messages } from '../src/i18n';

describe("a connector's state badge", () => {
  it('is green when working, amber when trying, grey when stopped', () => {
    for (const s of ['connected', 'monitoring', 'scoring', 'idle', 'sending']) expect(stateTone(s)).toBe('ok');
    for (const s of ['connecting', 'backoff']) expect(stateTone(s)).toBe('warn');
    expect(stateTone('stopped')).toBe('off');
    expect(stateTone('something-new')).toBe('other');
  });

  it('has a shape for each tone (not only a colour) and a label for each known state', () => {
    expect(new Set(Object.values(TONE_SHAPES)).size).toBe(4);
    for (const s of ['connected', 'monitoring', 'scoring', 'idle', 'sending', 'connecting', 'backoff', 'stopped']) {
      const key = stateKey(s);
      expect(key).toBe('sources.state.' + s);
      expect(key! in messages.en && key! in messages['zh-CN']).toBe(true);
    }
    expect(stateKey('something-new')).toBeNull();
  });
});

describe('who may browse an OPC UA server', () => {
  it('engineers and admins, and anyone on a hub without users', () => {
    expect(mayBrowse({ user: 'a', role: 'engineer' })).toBe(true);
    expect(mayBrowse({ user: 'a', role: 'admin' })).toBe(true);
    expect(mayBrowse({ user: 'a', role: 'operator' })).toBe(false);
    expect(mayBrowse({ user: 'a', role: 'viewer' })).toBe(false);
    expect(mayBrowse({ user: 'anonymous', session: false })).toBe(true);
    expect(mayBrowse(null)).toBe(false);
  });
});

describe('the browse tree', () => {
  it('opens objects and views, picks variables, leaves references into other servers shut', () => {
    expect(expandable({ class: 'Object', local: true })).toBe(true);
    expect(expandable({ class: 'View', local: true })).toBe(true);
    expect(expandable({ class: 'Object', local: false })).toBe(false);
    expect(expandable({ class: 'Variable', local: true })).toBe(false);
    expect(selectable({ class: 'Variable' })).toBe(true);
    expect(selectable({ class: 'Method' })).toBe(false);
  });

  it('says a status that is not Good', () => {
    expect(isGood(undefined)).toBe(true);
    expect(isGood('Good (0x00000000)')).toBe(true);
    expect(isGood('BadSensorFailure (0x808C0000)')).toBe(false);
    expect(isGood('UncertainLastUsableValue (0x40900000)')).toBe(false);
  });

  it('lists the rows shown, depth first, with their level, position and parent', () => {
    const top = objectsFolder();
    expect(top.node).toBe('i=85');
    expect(top.path).toEqual([]);
    const machine = treeNode({ browse_name: 'Machine', node: 'ns=1;s=Machine', class: 'Object', local: true }, top.path);
    const server = treeNode({ browse_name: 'Server', node: 'i=2253', class: 'Object', local: true }, top.path);
    const speed = treeNode(
      { browse_name: 'SpindleSpeed', node: 'ns=1;s=Machine.SpindleSpeed', class: 'Variable', local: true, value: '1042', status: 'Good (0x00000000)' },
      machine.path,
    );
    expect(speed.path).toEqual(['Machine', 'SpindleSpeed']);
    top.children = [machine, server];
    top.expanded = true;
    machine.children = [speed];
    // Machine's children are not shown while it is shut.
    expect(visibleRows([top]).map((r) => r.item.browse_name)).toEqual(['Objects', 'Machine', 'Server']);
    machine.expanded = true;
    const rows = visibleRows([top]);
    expect(rows.map((r) => [r.item.browse_name, r.level, r.posinset, r.setsize])).toEqual([
      ['Objects', 1, 1, 1],
      ['Machine', 2, 1, 2],
      ['SpindleSpeed', 3, 1, 1],
      ['Server', 2, 2, 2],
    ]);
    expect(rows[2].parent).toBe(machine);
    expect(new Set(rows.map((r) => r.item.key)).size).toBe(4);
  });

  it('asks for a node of a connector or of an endpoint', () => {
    expect(browseQuery({ connector: 'cnc-ua-01' }, 'ns=1;s=Machine')).toBe('connector=cnc-ua-01&node=ns%3D1%3Bs%3DMachine');
    expect(browseQuery({ endpoint: 'opc.tcp://10.0.0.31:4840' }, 'i=85')).toBe(
      'endpoint=opc.tcp%3A%2F%2F10.0.0.31%3A4840&node=i%3D85',
    );
  });
});

describe("the connectors.yaml snippet", () => {
  const pick = (node: string, ...path: string[]): Picked => ({ node, browse_name: path[path.length - 1], path });

  it('lists the nodes picked by id, tagged by browse name, in the order picked', () => {
    expect(
      nodesSnippet([
        pick('ns=1;s=Machine.SpindleSpeed', 'Machine', 'SpindleSpeed'),
        pick('ns=1;s=Machine.PartCount', 'Machine', 'PartCount'),
      ]),
    ).toBe(
      'nodes:\n' +
        '  - { node: "ns=1;s=Machine.SpindleSpeed", tag: SpindleSpeed }\n' +
        '  - { node: "ns=1;s=Machine.PartCount", tag: PartCount }\n',
    );
    expect(nodesSnippet([])).toBe('');
  });

  it('tells apart variables of one browse name by their paths', () => {
    const picked = [
      pick('ns=1;s=Machine.Axes.X.Position', 'Machine', 'Axes', 'X', 'Position'),
      pick('ns=1;s=Machine.Axes.Y.Position', 'Machine', 'Axes', 'Y', 'Position'),
      pick('ns=1;s=Other', 'Position'),
      pick('ns=1;s=Machine.Speed', 'Machine', 'Speed'),
    ];
    expect(tagsOf(picked)).toEqual(['Machine.Axes.X.Position', 'Machine.Axes.Y.Position', 'Position', 'Speed']);
    // The same path twice (two servers' nodes, a node reached by two references): numbered.
    expect(tagsOf([pick('ns=1;i=1', 'A', 'B'), pick('ns=2;i=1', 'A', 'B')])).toEqual(['A.B', 'A.B_2']);
  });

  it('quotes what YAML would read otherwise', () => {
    expect(yamlScalar('SpindleSpeed')).toBe('SpindleSpeed');
    expect(yamlScalar('axis.x-pos_1')).toBe('axis.x-pos_1');
    for (const s of ['true', 'No', 'null', '42', '1e3', 'a b', 'a: b', 'x,y', '#1', '主轴转速', 'q"uote', '']) {
      expect(yamlScalar(s)).toBe(JSON.stringify(s));
    }
    // A node id with a quote or a backslash stays one double-quoted scalar.
    expect(nodesSnippet([pick('ns=2;s=A"B\\C', 'A"B\\C')])).toBe(
      'nodes:\n  - { node: "ns=2;s=A\\"B\\\\C", tag: "A\\"B\\\\C" }\n',
    );
  });
});

describe('forwarding: how far behind a site is', () => {
  it('is ok within a minute, a warning within an hour, off past it, other before anything', () => {
    expect(lagTone(0.2)).toBe('ok');
    expect(lagTone(59.9)).toBe('ok');
    expect(lagTone(60)).toBe('warn');
    expect(lagTone(3599)).toBe('warn');
    expect(lagTone(3600)).toBe('off');
    expect(lagTone(null)).toBe('other');
  });
  it('says bytes as people read them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(939 * 1024 * 1024)).toBe('939.0 MiB');
  });
});
