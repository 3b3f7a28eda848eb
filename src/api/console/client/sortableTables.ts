/** A cell sorts by its `data-value` when it has one (times, counts), else by its text. */
function cellValue(row: HTMLTableRowElement, index: number): string {
  const cell = row.cells[index];
  if (!cell) return '';
  return cell.dataset.value ?? (cell.textContent ?? '').trim().toLowerCase();
}

/** Numeric columns put rows without a value last, whichever way they are sorted. */
function compare(x: string, y: string, numeric: boolean): number {
  if (!numeric) return x.localeCompare(y);
  return Number(x || Number.POSITIVE_INFINITY) - Number(y || Number.POSITIVE_INFINITY);
}

/** Tables of class `sortable` sort by a column when its header's `data-sort` button is pressed. */
export function sortTables(root: Document): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table.sortable')) {
    const body = table.tBodies[0];
    if (!body) continue;
    for (const button of table.querySelectorAll<HTMLButtonElement>('[data-sort]')) {
      let ascending = true;
      button.addEventListener('click', () => {
        const index = Number(button.dataset.sort);
        const numeric = button.dataset.sortType === 'number';
        const rows = [...body.rows].sort((a, b) => {
          const order = compare(cellValue(a, index), cellValue(b, index), numeric);
          return ascending ? order : -order;
        });
        for (const row of rows) body.appendChild(row);
        for (const header of table.querySelectorAll('th[aria-sort]')) header.removeAttribute('aria-sort');
        button.parentElement?.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        ascending = !ascending;
      });
    }
  }
}
