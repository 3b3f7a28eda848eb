import type { RunRecord } from '../../model/run.js';
import { milliseconds, relativeTime } from './format.js';
import { html } from './html.js';
import { CONSOLE_PATH, layout, type PageContext } from './layout.js';
import { countsText, runPath, statusLabel } from './tenantsPage.js';

/** A tenant's run history, newest first, each run linking to its page. */
export function tenantPage(tenant: string, runs: readonly RunRecord[], context: PageContext): string {
  return layout(
    tenant,
    context,
    html`<p><a href="${CONSOLE_PATH}">← Tenants</a></p>
<h1>Tenant ${tenant}</h1>
<h2 id="history-title">Run history</h2>
${
  runs.length === 0
    ? html`<p>No run yet.</p>`
    : html`<table aria-labelledby="history-title"><thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Trigger</th><th scope="col">Created</th><th scope="col">Duration</th><th scope="col">Counts</th></tr></thead>
<tbody>${runs.map(
        (run) => html`<tr class="${run.status === 'failed' || run.status === 'held' ? 'problem-row' : ''}">
<th scope="row"><a href="${runPath(tenant, run.id)}">${run.id}</a></th><td>${statusLabel(run)}</td><td>${run.mode}</td><td>${run.trigger}</td>
<td><time datetime="${run.createdAt}">${relativeTime(run.createdAt, context.now)}</time></td><td>${milliseconds(run.durationMs)}</td><td>${countsText(run)}</td></tr>`,
      )}</tbody></table>`
}`,
  );
}
