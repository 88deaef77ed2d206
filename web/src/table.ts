// Every table's sorting, filtering and CSV export, written once: a page keeps its own
// template and asks this for the rows to show, the header's sort state and the CSV text.
import { computed, ref, unref, type Ref } from 'vue';

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  key: string;
  label: () => string; // translated when read, so the language can switch
  value: (row: T) => Cell;
  // false: filtered on and exported, but no header of its own (the page shows it otherwise,
  // e.g. a long text on a line of its own below the row).
  header?: boolean;
}

// Numbers compare as numbers, empty cells last, text by the locale's collation (中文 too).
function isEmpty(c: Cell): boolean {
  return c === null || c === undefined || c === '';
}

export function compareCells(a: Cell, b: Cell): number {
  const emptyA = isEmpty(a);
  const emptyB = isEmpty(b);
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

// RFC 4180: fields with a comma, quote or line break quoted, quotes doubled, CRLF lines.
// A text cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
// apostrophe; numbers stay numbers.
export function toCsv(header: string[], rows: Cell[][]): string {
  const field = (c: Cell): string => {
    if (c === null || c === undefined) return '';
    let s = String(c);
    if (typeof c === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

// `columns` may change (a table of records shows the fields its entity has).
export function useTable<T>(rows: Ref<T[]>, columnsIn: Column<T>[] | Ref<Column<T>[]>) {
  const cols = computed(() => unref(columnsIn));
  const filter = ref('');
  const sortKey = ref<string | null>(null);
  const descending = ref(false);

  const view = computed(() => {
    const needle = filter.value.trim().toLocaleLowerCase();
    let out = needle
      ? rows.value.filter((r) =>
          cols.value.some((c) => String(c.value(r) ?? '').toLocaleLowerCase().includes(needle)),
        )
      : rows.value.slice();
    const col = cols.value.find((c) => c.key === sortKey.value);
    if (col) {
      const sign = descending.value ? -1 : 1;
      // Stable (equal rows keep the server's order); empty cells last either way.
      out = out
        .map((r, i) => ({ r, i, v: col.value(r) }))
        .sort((x, y) => {
          if (isEmpty(x.v) || isEmpty(y.v)) return compareCells(x.v, y.v) || x.i - y.i;
          return sign * compareCells(x.v, y.v) || x.i - y.i;
        })
        .map((x) => x.r);
    }
    return out;
  });

  // First click ascending, second descending, third back to the server's order.
  function sortBy(key: string): void {
    if (sortKey.value !== key) {
      sortKey.value = key;
      descending.value = false;
    } else if (!descending.value) {
      descending.value = true;
    } else {
      sortKey.value = null;
      descending.value = false;
    }
  }

  function ariaSort(key: string): 'ascending' | 'descending' | 'none' {
    if (sortKey.value !== key) return 'none';
    return descending.value ? 'descending' : 'ascending';
  }

  // What is shown (filtered and sorted), every column.
  function csv(): string {
    return toCsv(
      cols.value.map((c) => c.label()),
      view.value.map((r) => cols.value.map((c) => c.value(r))),
    );
  }

  return { columns: cols, filter, sortKey, descending, view, sortBy, ariaSort, csv };
}

export type Table<T> = ReturnType<typeof useTable<T>>;

// Offers `text` as a file; a byte-order mark first, so that spreadsheet programs read UTF-8
// (Chinese names) as such.
export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
