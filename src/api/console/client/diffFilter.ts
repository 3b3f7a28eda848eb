/** Shows the run diff's rows of the chosen op kind and outcome (an empty choice matches every row). */
function applyFilter(root: Document): void {
  const body = root.querySelector<HTMLTableElement>('#diff')?.tBodies[0];
  if (!body) return;
  const op = root.querySelector<HTMLSelectElement>('[data-diff-filter="op"]')?.value ?? '';
  const outcome = root.querySelector<HTMLSelectElement>('[data-diff-filter="outcome"]')?.value ?? '';
  for (const row of body.rows) {
    row.hidden = (op !== '' && row.dataset.op !== op) || (outcome !== '' && row.dataset.outcome !== outcome);
  }
}

export function filterDiffRows(root: Document): void {
  for (const select of root.querySelectorAll<HTMLSelectElement>('[data-diff-filter]')) {
    select.addEventListener('change', () => applyFilter(root));
  }
}
