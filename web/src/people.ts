// What the people page (pages/People.vue) reads from GET /api/v1/people/matrix and /gaps:
// each certificate's status as a shape and a sort order, the matrix as table columns, and the
// gaps worth showing first.
import type { Schemas } from './api';
import type { Column } from './table';

export type PeopleMatrix = Schemas['PeopleMatrix'];
export type MatrixLine = PeopleMatrix['lines'][number];
export type MatrixRow = MatrixLine['rows'][number];
export type MatrixCell = MatrixRow['cells'][number];
export type PeopleGaps = Schemas['PeopleGaps'];
export type Gap = PeopleGaps['gaps'][number];
export type CertificateAlert = Schemas['CertificateAlert'];
export type CertificateStatus = Schemas['CertificateStatus'];

// Not only a colour: each status has its shape.
export const STATUS_SHAPES: Record<CertificateStatus, string> = {
  valid: '✔',
  expiring: '◐',
  expired: '✖',
  pending: '…',
  missing: '–',
};

// Worst first when sorted ascending: what needs doing comes to the top.
const STATUS_ORDER: Record<CertificateStatus, number> = { expired: 0, missing: 1, expiring: 2, pending: 3, valid: 4 };

// A cell as it sorts: by status, then by the days left (the soonest first).
export function cellOrder(cell: MatrixCell | undefined): number {
  if (!cell) return 99;
  const days = cell.days_left ?? 0;
  return STATUS_ORDER[cell.status] * 100000 + Math.max(-99999, Math.min(99999, days)) / 10;
}

// The matrix's columns for useTable: the person, then one per qualification (its label what
// `label` makes of it: the code and whether the line requires it).
export function matrixColumns(
  line: MatrixLine | undefined,
  fixed: Column<MatrixRow>[],
  label: (q: MatrixLine['columns'][number]) => string,
): Column<MatrixRow>[] {
  if (!line) return fixed;
  return [
    ...fixed,
    ...line.columns.map((q, i) => ({
      key: 'q:' + q.qualification,
      label: () => label(q),
      value: (r: MatrixRow) => cellOrder(r.cells[i]),
    })),
  ];
}

// The gaps of one line (or every line), those short now or once expiring certificates end
// first, then by line, qualification and shift as the server gave them.
export function gapsOf(gaps: Gap[], line: string, onlyShort: boolean): Gap[] {
  return gaps
    .filter((g) => !line || g.line === line)
    .filter((g) => !onlyShort || g.shortfall > 0 || g.shortfall_after_expiry > 0)
    .map((g, i) => ({ g, i }))
    .sort((a, b) => b.g.shortfall - a.g.shortfall || b.g.shortfall_after_expiry - a.g.shortfall_after_expiry || a.i - b.i)
    .map((x) => x.g);
}

// A line's short name: the last part of its ISA-95 path.
export function shortLine(path: string | null | undefined): string {
  if (!path) return '–';
  const parts = path.split('/');
  return parts[parts.length - 1] || path;
}
