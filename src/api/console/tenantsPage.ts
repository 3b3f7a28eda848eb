import { opTotals, type RunRecord } from '../../model/run.js';
import type { TenantStatus } from '../../service/tenantStatus.js';
import { duration, relativeTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout, type PageContext } from './layout.js';

/** A tenant's status as the tenants table shows it, with the held runs waiting for approval. */
export interface TenantRow {
  readonly status: TenantStatus;
  readonly heldRuns: readonly string[];
}

/** Why a row stands out, or nothing when the tenant is fine. */
export function problemOf(row: TenantRow): string | undefined {
  if (row.status.quarantine.quarantined) return 'quarantined';
  if (row.heldRuns.length > 0) return 'held run waiting';
  const status = row.status.lastRun?.status;
  if (status === 'failed' || status === 'completedWithFailures') return 'last run failed';
  return undefined;
}

export function tenantsPage(rows: readonly TenantRow[], context: PageContext): string {
  const problems = rows.filter((row) => problemOf(row) !== undefined).length;
  return layout(
    'Tenants',
    context,
    html`<h1>Tenants</h1>
<p>${rows.length} tenant(s), ${problems} with a problem.</p>
<p><label for="tenant-filter">Filter</label> <input id="tenant-filter" type="search" data-filter="tenants" placeholder="tenant, source, status…">
<label><input type="checkbox" data-problems-only="tenants"> Problems only</label></p>
<table id="tenants" class="sortable">
<thead><tr>
<th scope="col"><button type="button" data-sort="0">Tenant</button></th>
<th scope="col"><button type="button" data-sort="1">Source</button></th>
<th scope="col"><button type="button" data-sort="2">Last run</button></th>
<th scope="col"><button type="button" data-sort="3" data-sort-type="number">Last run age</button></th>
<th scope="col">Counts (done/planned, failed)</th>
<th scope="col"><button type="button" data-sort="5" data-sort-type="number">Next run</button></th>
<th scope="col"><button type="button" data-sort="6">Quarantine</button></th>
<th scope="col"><button type="button" data-sort="7" data-sort-type="number">Cursor age</button></th>
<th scope="col"><button type="button" data-sort="8" data-sort-type="number">Held runs</button></th>
</tr></thead>
<tbody>${rows.map((row) => tenantRow(row, context.now))}</tbody>
</table>`,
  );
}

function tenantRow(row: TenantRow, now: Date): SafeHtml {
  const { status } = row;
  const problem = problemOf(row);
  const last = status.lastRun;
  const lastAt = last ? (last.finishedAt ?? last.startedAt ?? last.createdAt) : undefined;
  return html`<tr class="${problem ? 'problem-row' : ''}" data-problem="${problem ? 'yes' : 'no'}">
<th scope="row"><a href="${CONSOLE_PATH}/tenants/${status.id}">${status.id}</a>${problem ? html` <span class="badge">${problem}</span>` : ''}</th>
<td>${status.source}</td>
<td>${last ? html`<a href="${runPath(status.id, last.id)}">${statusLabel(last)}</a>` : 'never ran'}</td>
<td data-value="${lastAt ? now.getTime() - Date.parse(lastAt) : ''}">${relativeTime(lastAt, now)}</td>
<td>${last ? countsText(last) : '—'}</td>
<td data-value="${status.nextRunAt ? Date.parse(status.nextRunAt) : ''}">${status.nextRunAt ? html`<time datetime="${status.nextRunAt}">${relativeTime(status.nextRunAt, now)}</time>` : 'none scheduled'}</td>
<td>${
    status.quarantine.quarantined
      ? html`${status.quarantine.reason}; lifts <time datetime="${status.quarantine.nextAllowedAt}">${relativeTime(status.quarantine.nextAllowedAt, now)}</time>`
      : 'no'
  }</td>
<td data-value="${status.cursor?.ageSeconds ?? ''}">${status.cursor ? duration(status.cursor.ageSeconds) : 'no cursor'}</td>
<td data-value="${row.heldRuns.length}">${row.heldRuns.length > 0 ? row.heldRuns.map((id) => html`<a href="${runPath(status.id, id)}">${id}</a> `) : '0'}</td>
</tr>`;
}

export function runPath(tenant: string, runId: string): string {
  return `${CONSOLE_PATH}/tenants/${encodeURIComponent(tenant)}/runs/${encodeURIComponent(runId)}`;
}

export function statusLabel(run: RunRecord): string {
  return `${run.status}${run.dryRun ? ' (dry run)' : ''}`;
}

export function countsText(run: RunRecord): string {
  const totals = opTotals(run.counts);
  return `${totals.finished}/${totals.planned} ops, ${totals.failed} failed`;
}
