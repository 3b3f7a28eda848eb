/** Hides the rows of table `id` that do not contain the filter text, or (when asked) are not problems. */
function applyFilter(root: Document, id: string): void {
  const body = root.querySelector<HTMLTableElement>(`#${CSS.escape(id)}`)?.tBodies[0];
  if (!body) return;
  const text = root.querySelector<HTMLInputElement>(`[data-filter="${CSS.escape(id)}"]`);
  const problemsOnly = root.querySelector<HTMLInputElement>(`[data-problems-only="${CSS.escape(id)}"]`);
  const wanted = (text?.value ?? '').trim().toLowerCase();
  for (const row of body.rows) {
    const matchesText = (row.textContent ?? '').toLowerCase().includes(wanted);
    const matchesProblem = !problemsOnly?.checked || row.dataset.problem === 'yes';
    row.hidden = !(matchesText && matchesProblem);
  }
}

/** A text box `data-filter="<table id>"` and a checkbox `data-problems-only="<table id>"` filter that table as they change. */
export function filterTenantRows(root: Document): void {
  for (const input of root.querySelectorAll<HTMLInputElement>('[data-filter], [data-problems-only]')) {
    const id = input.dataset.filter ?? input.dataset.problemsOnly;
    if (id === undefined) continue;
    input.addEventListener('input', () => applyFilter(root, id));
  }
}
