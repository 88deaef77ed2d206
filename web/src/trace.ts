// A lot's genealogy as a graph (test/trace.test.ts): each lot a node placed by its depth, each
// link from the lot before it on its path; the start at depth 0.

export interface TracedLot {
  lot: string;
  material: string;
  depth: number;
  path: string[];
  quantity: number | null;
  unit: string | null;
  status: string;
  made_by: string | null;
  inspections: number;
  failed_inspections: number;
}

export interface GraphNode {
  id: string;
  name: string;
  x: number;
  y: number;
  lot: TracedLot;
}

export interface GraphLink {
  source: string;
  target: string;
}

// Nodes in columns by depth (rows in the order the trace lists them), and the links of
// every path's last step. A lot reached by two paths is one node.
export function genealogyGraph(start: TracedLot, lots: TracedLot[]): {
  nodes: GraphNode[];
  links: GraphLink[];
} {
  const nodes = new Map<string, GraphNode>();
  const rows = new Map<number, number>();
  const links = new Map<string, GraphLink>();
  for (const lot of [start, ...lots]) {
    const id = `${lot.material}/${lot.lot}`;
    if (!nodes.has(id)) {
      const row = rows.get(lot.depth) ?? 0;
      rows.set(lot.depth, row + 1);
      nodes.set(id, { id, name: lot.lot, x: lot.depth * 220, y: row * 70, lot });
    }
  }
  const idOf = new Map<string, string>();
  for (const n of nodes.values()) idOf.set(n.lot.lot, n.id);
  for (const lot of lots) {
    if (lot.path.length < 2) continue;
    const from = idOf.get(lot.path[lot.path.length - 2]);
    const to = idOf.get(lot.lot);
    if (from && to) links.set(`${from}>${to}`, { source: from, target: to });
  }
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

// Rows as CSV (RFC 4180: quoted when needed), for tables people export.
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
