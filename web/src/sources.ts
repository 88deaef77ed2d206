// What the sources page (pages/Sources.vue) reads from GET /api/v1/connectors and
// GET /api/v1/opcua/browse: a connector's state as a badge (a tone and a shape, not only a
// colour), who may browse an OPC UA server, the browse tree's rows, and the connectors.yaml
// snippet of the variables picked.
import type { paths } from './api-types';
import type { Session } from './api';

export type ConnectorsAnswer = paths['/api/v1/connectors']['get']['responses'][200]['content']['application/json'];
export type Connector = ConnectorsAnswer['connectors'][number];
export type SourceRow = ConnectorsAnswer['sources'][number];
export type WriteCounters = ConnectorsAnswer['http'];
export type SyncAnswer = paths['/api/v1/sync']['get']['responses'][200]['content']['application/json'];
export type SyncSite = SyncAnswer['sites'][number];
export type BrowseAnswer = paths['/api/v1/opcua/browse']['get']['responses'][200]['content']['application/json'];
export type BrowsedNode = BrowseAnswer['nodes'][number];

// ok: working (connected, or a monitor, scorer or notifier running); warn: trying to be
// (connecting, waiting to connect again, retrying a notification); off: stopped; other: a
// state this page does not know yet (shown as the server says it).
export type Tone = 'ok' | 'warn' | 'off' | 'other';

const TONES: Record<string, Tone> = {
  connected: 'ok',
  monitoring: 'ok',
  scoring: 'ok',
  idle: 'ok', // a notifier with nothing to send
  sending: 'ok',
  connecting: 'warn',
  backoff: 'warn',
  stopped: 'off',
};

export const TONE_SHAPES: Record<Tone, string> = { ok: '●', warn: '▲', off: '■', other: '◆' };

export function stateTone(state: string): Tone {
  return TONES[state] ?? 'other';
}

// The message key of a state the page knows (sources.state.<state>), or null: show it as sent.
export function stateKey(state: string): string | null {
  return state in TONES ? 'sources.state.' + state : null;
}

// How far behind a site (or this edge's backlog) is, as a badge: a minute is the forwarder
// at work, an hour is an outage; null lag (nothing applied yet) is shown as other.
export function lagTone(seconds: number | null | undefined): Tone {
  if (seconds === null || seconds === undefined) return 'other';
  if (seconds < 60) return 'ok';
  if (seconds < 3600) return 'warn';
  return 'off';
}

// Bytes as people read them (KiB, MiB, GiB).
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u + 1 < units.length) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

// Browsing makes the hub connect where it is told: engineers and admins (GET
// /api/v1/opcua/browse answers 403 to the others), and anyone on a hub without users.
export function mayBrowse(session: Session | null | undefined): boolean {
  if (!session) return false;
  if (session.session === false) return true;
  return session.role === 'engineer' || session.role === 'admin';
}

// A status code's name that is not Good ("Bad_SensorFailure (0x808C0000)", "Uncertain ..."):
// worth showing beside the value.
export function isGood(status: string | undefined): boolean {
  return status === undefined || status === '' || /^good/i.test(status);
}

// What a node can do in the tree: objects (and views) open to their children; variables are
// picked. A reference into another server is shown but not followed.
export function expandable(n: Pick<BrowsedNode, 'class' | 'local'>): boolean {
  return n.local && (n.class === 'Object' || n.class === 'View');
}
export function selectable(n: Pick<BrowsedNode, 'class'>): boolean {
  return n.class === 'Variable';
}

// OPC UA's node classes (their names in the page's language: opcua_class.<class>).
export const NODE_CLASSES = ['Object', 'Variable', 'Method', 'ObjectType', 'VariableType', 'ReferenceType', 'DataType', 'View'];

// One node of the tree as the page keeps it (`key` tells apart a node reached twice).
export interface TreeNode {
  key: number;
  browse_name: string;
  node: string;
  class: string;
  local: boolean;
  value?: string;
  status?: string;
  path: string[]; // browse names below the Objects folder down to this node
  expanded: boolean;
  loading: boolean;
  error: string;
  children: TreeNode[] | null; // null: not asked for yet
}

let nextKey = 1;
export function treeNode(n: BrowsedNode, parentPath: string[]): TreeNode {
  return {
    ...n,
    key: nextKey++,
    path: [...parentPath, n.browse_name],
    expanded: false,
    loading: false,
    error: '',
    children: null,
  };
}

// The top of the tree: the Objects folder (i=85), whose children's paths start below it.
export const OBJECTS_FOLDER = 'i=85';
export function objectsFolder(): TreeNode {
  return { ...treeNode({ browse_name: 'Objects', node: OBJECTS_FOLDER, class: 'Object', local: true }, []), path: [] };
}

export interface TreeRow {
  item: TreeNode;
  level: number; // 1 for the top
  setsize: number;
  posinset: number; // 1-based
  parent: TreeNode | null;
}

// The rows shown, depth first: the children of expanded nodes only (aria-level, -setsize and
// -posinset for a flat list of treeitems).
export function visibleRows(roots: TreeNode[]): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (nodes: TreeNode[], level: number, parent: TreeNode | null): void => {
    nodes.forEach((item, i) => {
      out.push({ item, level, setsize: nodes.length, posinset: i + 1, parent });
      if (item.expanded && item.children) walk(item.children, level + 1, item);
    });
  };
  walk(roots, 1, null);
  return out;
}

// A variable picked for connectors.yaml.
export interface Picked {
  node: string;
  browse_name: string;
  path: string[];
}

// A plain YAML scalar when that reads back as the same string in a flow mapping, else a
// double-quoted one (JSON's escapes are YAML's).
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n)$/i;
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

// Each variable's tag: its browse name; when two share one (X/Position, Y/Position), their
// browse paths joined with '.' (as `under:`'s {path} does); a tag still taken gets _2, _3.
export function tagsOf(picked: Picked[]): string[] {
  const count = new Map<string, number>();
  for (const p of picked) count.set(p.browse_name, (count.get(p.browse_name) ?? 0) + 1);
  const taken = new Set<string>();
  return picked.map((p) => {
    let tag = (count.get(p.browse_name) ?? 0) > 1 && p.path.length > 1 ? p.path.join('.') : p.browse_name;
    if (taken.has(tag)) {
      let i = 2;
      while (taken.has(`${tag}_${i}`)) i += 1;
      tag = `${tag}_${i}`;
    }
    taken.add(tag);
    return tag;
  });
}

// The `nodes:` of an opcua connector (docs/connectors.md, OPC UA) for the variables picked,
// in the order they were picked: the node by its id, the tag by its browse name.
export function nodesSnippet(picked: Picked[]): string {
  if (picked.length === 0) return '';
  const tags = tagsOf(picked);
  const lines = picked.map((p, i) => `  - { node: ${JSON.stringify(p.node)}, tag: ${yamlScalar(tags[i])} }`);
  return ['nodes:', ...lines].join('\n') + '\n';
}

// The query of one browse request: a configured connector or an endpoint, and the node.
export function browseQuery(source: { connector?: string; endpoint?: string }, node: string): string {
  const q = new URLSearchParams();
  if (source.connector) q.set('connector', source.connector);
  else q.set('endpoint', source.endpoint ?? '');
  q.set('node', node);
  return q.toString();
}
