// The plant's tree as the overview shows it: lines with their machines, each machine with
// its signals. Pure logic (test/plant.test.ts).
import type { Equipment } from './api';

export interface MachineView {
  equipment: Equipment;
  line: string; // the path of the line (or whatever is above the machine)
}

// The machines (assets with tags or a recorded state), grouped by their parent path, in
// path order.
export function machinesByLine(equipment: Equipment[]): Map<string, MachineView[]> {
  const out = new Map<string, MachineView[]>();
  for (const e of equipment) {
    if (e.tags.length === 0 && e.state === null) continue;
    const slash = e.path.lastIndexOf('/');
    const line = slash > 0 ? e.path.slice(0, slash) : '';
    const list = out.get(line) ?? [];
    list.push({ equipment: e, line });
    out.set(line, list);
  }
  return out;
}

// A signal's short name: its tag without the machine's prefix ("line-1.cnc-01.torque" ->
// "torque").
// A tag's last part, whether the plant names with dots (line-1.cnc-01.torque) or slashes
// (ai4i/mill-01/torque_Nm).
export function signalName(tag: string): string {
  const cut = Math.max(tag.lastIndexOf('.'), tag.lastIndexOf('/'));
  return cut >= 0 ? tag.slice(cut + 1) : tag;
}

// Status colours also carry a shape (colour-blind safe): running ●, stopped ■, other ▲.
export function stateShape(state: string | undefined): string {
  if (state === 'running') return '●';
  if (state === 'down') return '■';
  if (state === undefined) return '○';
  return '▲';
}

// A site forwarding to this hub (docs/sync.md), as the overview shows it: its tags arrive as
// "<site>/<equipment ...>/<signal>", so the part between the site and the signal names the
// equipment ("suzhou/press-1/temperature": press-1), "" for a signal of the site itself.
// Rollups of the edge's retention are left out.
export interface SiteEquipment {
  name: string;
  tags: string[]; // sorted
}

// A retention rollup ("T:mean_1m", docs/retention.md): a summary, not a signal of its own.
export function isRollup(tag: string): boolean {
  return /:(count|mean|min|max|sum)_[0-9a-zµ]+$/.test(tag);
}

export function siteEquipment(site: string, tags: Iterable<string>): SiteEquipment[] {
  const prefix = site + '/';
  const byName = new Map<string, string[]>();
  for (const tag of tags) {
    if (!tag.startsWith(prefix) || isRollup(tag)) continue;
    const rest = tag.slice(prefix.length);
    const cut = rest.lastIndexOf('/');
    const name = cut > 0 ? rest.slice(0, cut) : '';
    const list = byName.get(name) ?? [];
    list.push(tag);
    byName.set(name, list);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => ({ name, tags: list.sort() }));
}
