// Plain-text tables with aligned columns, for `eft explain` and the benchmarks.

export interface Column {
  header: string;
  align: 'left' | 'right';
}

export function renderTable(columns: readonly Column[], rows: readonly string[][], indent = ''): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) => (columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells: readonly string[]) => (indent + cells.map((t, i) => cell(t, i)).join('  ')).trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map((r) => line(r))];
}
