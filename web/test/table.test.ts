import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { compareCells, toCsv, useTable } from '../src/table';

interface Row {
  name: string;
  value: number | null;
}

function table(rows: Row[]) {
  return useTable(ref(rows), [
    { key: 'name', label: () => 'Name', value: (r: Row) => r.name },
    { key: 'value', label: () => 'Value', value: (r: Row) => r.value },
  ]);
}

describe('compareCells', () => {
  it('compares numbers as numbers and text naturally, empty cells last', () => {
    expect(compareCells(9, 10)).toBeLessThan(0);
    expect(compareCells('cnc-9', 'cnc-10')).toBeLessThan(0);
    expect(compareCells(null, 1)).toBeGreaterThan(0);
    expect(compareCells('', 'a')).toBeGreaterThan(0);
    expect(compareCells(undefined, null)).toBe(0);
  });
});

describe('toCsv', () => {
  it('quotes what needs quoting (RFC 4180) and ends lines with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', 3]])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",3\r\n',
    );
  });
  it('defuses text a spreadsheet would run as a formula, not negative numbers', () => {
    expect(toCsv(['a'], [['=HYPERLINK("x")'], ['@SUM(A1)'], [-3.5]])).toBe(
      'a\r\n"\'=HYPERLINK(""x"")"\r\n\'@SUM(A1)\r\n-3.5\r\n',
    );
  });
  it('writes empty cells for null and undefined', () => {
    expect(toCsv(['a', 'b'], [[null, undefined]])).toBe('a,b\r\n,\r\n');
  });
});

describe('useTable', () => {
  const rows: Row[] = [
    { name: 'cnc-10', value: 3 },
    { name: 'cnc-2', value: null },
    { name: 'press-1', value: 1 },
  ];

  it('sorts ascending, then descending, then back to the given order', () => {
    const t = table(rows);
    t.sortBy('value');
    expect(t.view.value.map((r) => r.name)).toEqual(['press-1', 'cnc-10', 'cnc-2']);
    expect(t.ariaSort('value')).toBe('ascending');
    t.sortBy('value');
    // Empty cells stay last either way.
    expect(t.view.value.map((r) => r.name)).toEqual(['cnc-10', 'press-1', 'cnc-2']);
    expect(t.ariaSort('value')).toBe('descending');
    t.sortBy('value');
    expect(t.view.value.map((r) => r.name)).toEqual(['cnc-10', 'cnc-2', 'press-1']);
    expect(t.ariaSort('value')).toBe('none');
  });

  it('filters on any column, ignoring case', () => {
    const t = table(rows);
    t.filter.value = 'CNC';
    expect(t.view.value.map((r) => r.name)).toEqual(['cnc-10', 'cnc-2']);
    t.filter.value = '3';
    expect(t.view.value.map((r) => r.name)).toEqual(['cnc-10']);
  });

  it('exports what it shows, in the shown order', () => {
    const t = table(rows);
    t.filter.value = 'cnc';
    t.sortBy('name');
    expect(t.csv()).toBe('Name,Value\r\ncnc-2,\r\ncnc-10,3\r\n');
  });
});
