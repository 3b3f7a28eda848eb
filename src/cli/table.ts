export interface Column {
  readonly title: string;
  /** Numbers line up on the right. */
  readonly align?: 'left' | 'right';
}

/** Characters a cell takes on screen: code points, which is right for the text dirsync prints. */
function width(text: string): number {
  return [...text].length;
}

function padCell(text: string, size: number, align: 'left' | 'right' = 'left'): string {
  const room = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? `${room}${text}` : `${text}${room}`;
}

/**
 * A table in plain text: a header, a rule under it, one line per row, columns as wide as their
 * widest cell, two spaces apart; trailing blanks trimmed. Cells with line breaks are flattened.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  indent = '',
): string {
  const cells = rows.map((row) => columns.map((_, at) => (row[at] ?? '').replace(/\s*\n\s*/g, ' ')));
  const sizes = columns.map((column, at) =>
    Math.max(width(column.title), ...cells.map((row) => width(row[at]!))),
  );
  const line = (values: readonly string[]) =>
    `${indent}${values.map((value, at) => padCell(value, sizes[at]!, columns[at]!.align)).join('  ')}`.trimEnd();
  return [
    line(columns.map((column) => column.title)),
    line(sizes.map((size) => '─'.repeat(size))),
    ...cells.map(line),
  ].join('\n');
}
