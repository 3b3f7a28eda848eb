import type { TenantConfig } from '../../config/load.js';
import type { RunRecord } from '../../model/run.js';
import type { ConnectionReport } from '../../service/connectionTest.js';
import { milliseconds, relativeTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout, type PageContext } from './layout.js';
import { explainPath, logPath, tenantPath } from './paths.js';

// Pages link to a tenant through this module as ever; the paths between pages live in paths.ts.
export { tenantPath } from './paths.js';

import { countsText, runPath, statusLabel } from './tenantsPage.js';

/** A tenant: its schedule, its safety settings, what an operator can do to it, and its run history. */
export function tenantPage(
  tenant: TenantConfig,
  runs: readonly RunRecord[],
  context: PageContext,
  report?: ConnectionReport,
): string {
  const { safety } = tenant;
  return layout(
    tenant.id,
    context,
    html`<p><a href="${CONSOLE_PATH}">← Tenants</a></p>
<h1>Tenant ${tenant.id}</h1>
<dl class="facts">
<dt>Source</dt><dd>${tenant.source.type}</dd>
<dt>Incremental schedule</dt><dd>${tenant.schedule.incremental ?? 'none'}</dd>
<dt>Full schedule</dt><dd>${tenant.schedule.full ?? 'none'}</dd>
<dt>Safety</dt><dd>hold above ${safety.maxDeactivations} deactivations or ${Math.round(safety.maxDeactivationRatio * 100)} % of managed users; hold a source read below ${Math.round(safety.minSourceRatio * 100)} % of the last; deprovision by ${safety.deprovision}; held runs expire after ${safety.heldRunExpiryHours} h</dd>
</dl>
<p class="actions"><a href="${tenantPath(tenant.id)}/provision">Provision on demand</a> <a href="${logPath(tenant.id)}">Provisioning log</a> <a href="${explainPath(tenant.id)}">Explain a user or group</a></p>
${context.principal.role === 'operator' ? actions(tenant.id, context) : html`<p>Only an operator can run, test or reset this tenant.</p>`}
${report ? connectionReport(report) : ''}
<h2 id="history-title">Run history</h2>
${
  runs.length === 0
    ? html`<p>No run yet.</p>`
    : html`<table aria-labelledby="history-title"><thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Trigger</th><th scope="col">Created</th><th scope="col">Duration</th><th scope="col">Counts</th></tr></thead>
<tbody>${runs.map(
        (run) => html`<tr class="${run.status === 'failed' || run.status === 'held' ? 'problem-row' : ''}">
<th scope="row"><a href="${runPath(tenant.id, run.id)}">${run.id}</a></th><td>${statusLabel(run)}</td><td>${run.mode}</td><td>${run.trigger}</td>
<td><time datetime="${run.createdAt}">${relativeTime(run.createdAt, context.now)}</time></td><td>${milliseconds(run.durationMs)}</td><td>${countsText(run)}</td></tr>`,
      )}</tbody></table>`
}`,
  );
}

function actions(tenant: string, context: PageContext): SafeHtml {
  const base = tenantPath(tenant);
  const csrf = html`<input type="hidden" name="csrf" value="${context.csrf}">`;
  const run = (label: string, mode: string, dryRun: boolean) =>
    html`<form method="post" action="${base}/runs">${csrf}<input type="hidden" name="mode" value="${mode}"><input type="hidden" name="dryRun" value="${dryRun}"><button type="submit">${label}</button></form>`;
  return html`<h2>Actions</h2><div class="actions">
${run('Incremental sync', 'incremental', false)}
${run('Full sync', 'full', false)}
${run('Dry run (full)', 'full', true)}
<form method="post" action="${base}/test-connection">${csrf}<button type="submit">Test connection</button></form>
<form method="post" action="${base}/reset" data-confirm="Forget the cursor and clear the quarantine of ${tenant}? The next run reads the whole source.">${csrf}<button type="submit" class="danger">Reset</button></form>
</div>`;
}

function connectionReport(report: ConnectionReport): SafeHtml {
  return html`<section aria-labelledby="connection-title"><h2 id="connection-title">Connection test: ${report.ok ? 'passed' : 'failed'}</h2>
<table><thead><tr><th scope="col">Side</th><th scope="col">Check</th><th scope="col">Result</th></tr></thead>
<tbody>${report.checks.map((check) => html`<tr class="${check.ok ? '' : 'problem-row'}"><td>${check.side}</td><th scope="row">${check.name}</th><td>${check.ok ? 'ok' : 'failed'}: ${check.message}</td></tr>`)}</tbody></table>
${report.warnings.length > 0 ? html`<ul>${report.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>` : ''}</section>`;
}
