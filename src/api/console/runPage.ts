import type { RunPhase, RunRecord } from '../../model/run.js';
import { milliseconds, relativeTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { CONSOLE_PATH, layout, type PageContext } from './layout.js';
import type { ObjectChange } from './objectChanges.js';
import { explainPath, logPath } from './paths.js';
import { isSettled, runProgress } from './runProgress.js';
import { runPath } from './tenantsPage.js';

const PHASES: readonly RunPhase[] = ['import', 'plan', 'users', 'groups', 'done'];
/** Without script, a run still moving is shown again this often, until it ends or waits for approval. */
const REFRESH_SECONDS = 5;

export interface RunView {
  readonly run: RunRecord;
  readonly objects: readonly ObjectChange[];
  /** More events than the page shows were logged for the run. */
  readonly truncated: boolean;
}

export function runPage({ run, objects, truncated }: RunView, context: PageContext): string {
  const moving = !isSettled(run);
  const progress = runProgress(run, context.now);
  const tenantPath = `${CONSOLE_PATH}/tenants/${encodeURIComponent(run.tenant)}`;
  return layout(
    `Run ${run.id}`,
    context,
    html`<p><a href="${tenantPath}">← ${run.tenant}</a> · <a href="${logPath(run.tenant, { runId: run.id })}">Events of this run in the provisioning log</a></p>
<h1>Run ${run.id}</h1>
<dl class="facts">
<dt>Status</dt><dd class="status-${run.status}" data-live="status">${progress.statusText}</dd>
<dt>Mode</dt><dd>${run.mode}${run.mode !== run.requestedMode ? ` (asked ${run.requestedMode}: ${run.fallbackReason ?? ''})` : ''}</dd>
<dt>Trigger</dt><dd>${run.trigger}</dd>
<dt>Created</dt><dd><time datetime="${run.createdAt}">${relativeTime(run.createdAt, context.now)}</time></dd>
<dt>Duration</dt><dd>${milliseconds(run.durationMs)}</dd>
<dt>Ops</dt><dd data-live="ops">${progress.opsText}</dd>
<dt>Members</dt><dd>${run.memberships ? `${run.memberships.added} added, ${run.memberships.removed} removed` : '—'}</dd>
<dt>Source read</dt><dd>${run.source ? `${run.source.users} users, ${run.source.groups} groups` : '—'}</dd>
${run.error ? html`<dt>Error</dt><dd class="problem">${run.error}</dd>` : ''}
</dl>
${moving ? liveNote(run) : ''}
${run.status === 'held' ? heldSection(run, context) : ''}
<h2>Phase times</h2>
<table><thead><tr>${PHASES.map((phase) => html`<th scope="col">${phase}</th>`)}</tr></thead>
<tbody><tr>${PHASES.map((phase) => html`<td>${milliseconds(run.phaseMs?.[phase])}</td>`)}</tr></tbody></table>
<h2>Counts per op kind</h2>
<table><thead><tr><th scope="col">Op</th><th scope="col">Planned</th><th scope="col">Succeeded</th><th scope="col">Failed</th></tr></thead>
<tbody>${Object.entries(run.counts).map(([kind, count]) => html`<tr><th scope="row">${kind}</th><td>${count.planned}</td><td>${count.succeeded}</td><td>${count.failed}</td></tr>`)}</tbody></table>
<h2>Failures (${run.failureCount})</h2>
${
  run.failures.length > 0
    ? html`<ul class="failures">${run.failures.map((failure) => html`<li><strong>${failure.objectType} ${failure.externalId ?? ''}</strong>${failure.op ? ` (${failure.op})` : ''}: ${failure.reason}</li>`)}</ul>`
    : html`<p>None.</p>`
}
${diffSection(run.tenant, objects, truncated)}`,
    moving ? REFRESH_SECONDS : undefined,
  );
}

/**
 * Where the page's script follows the run (its live stream). The facts above change in place; this
 * region, for screen readers, speaks only when the phase or status changes (or every half minute);
 * without script the page reloads instead.
 */
function liveNote(run: RunRecord): SafeHtml {
  return html`<p class="visually-hidden" role="status" data-live-run="${runPath(run.tenant, run.id)}/live"></p>
<noscript><p>This page reloads every ${REFRESH_SECONDS} s while the run moves.</p></noscript>`;
}

function heldSection(run: RunRecord, context: PageContext): SafeHtml {
  const approvePath = `${runPath(run.tenant, run.id)}/approve`;
  return html`<section class="held" aria-labelledby="held-title">
<h2 id="held-title">Held by the safety guard</h2>
<p class="problem">${run.heldReason ?? 'the guard held this run'}</p>
<p>The plan below is applied as it stands when an operator approves it.</p>
${
  context.principal.role === 'operator'
    ? html`<form method="post" action="${approvePath}" data-confirm="Apply this held plan to the platform now?">
<input type="hidden" name="csrf" value="${context.csrf}">
<button type="submit" class="danger">Approve and apply</button></form>`
    : html`<p>Only an operator can approve this run.</p>`
}
</section>`;
}

function diffSection(tenant: string, objects: readonly ObjectChange[], truncated: boolean): SafeHtml {
  const kinds = [...new Set(objects.flatMap((object) => (object.op ? [object.op] : [])))].sort();
  const outcomes = [...new Set(objects.map((object) => object.outcome))].sort();
  return html`<h2 id="diff-title">Objects changed (${objects.length}${truncated ? ', first ones only' : ''})</h2>
<p class="filters">
<label for="op-filter">Op kind</label> <select id="op-filter" data-diff-filter="op"><option value="">all</option>${kinds.map((kind) => html`<option>${kind}</option>`)}</select>
<label for="outcome-filter">Outcome</label> <select id="outcome-filter" data-diff-filter="outcome"><option value="">all</option>${outcomes.map((outcome) => html`<option>${outcome}</option>`)}</select>
</p>
${
  objects.length === 0
    ? html`<p>No object was touched.</p>`
    : html`<table id="diff" aria-labelledby="diff-title"><thead><tr><th scope="col">Object</th><th scope="col">Op</th><th scope="col">Outcome</th><th scope="col">Attributes (before → after)</th><th scope="col">Members</th></tr></thead>
<tbody>${objects.map((object) => objectRow(tenant, object))}</tbody></table>`
}`;
}

function objectRow(tenant: string, object: ObjectChange): SafeHtml {
  return html`<tr data-op="${object.op ?? ''}" data-outcome="${object.outcome}" class="${object.outcome === 'failure' ? 'problem-row' : ''}">
<th scope="row">${object.objectType} ${object.subject ?? object.externalId}<br><small>${object.externalId}</small>${
    object.objectType === 'user'
      ? html`<br><a href="${explainPath(tenant, { subject: object.externalId, kind: 'user' })}" aria-label="Explain ${object.subject ?? object.externalId}">Explain</a>`
      : ''
  }</th>
<td>${object.op ?? '—'}</td>
<td>${object.outcome}${object.reason ? html`<br><small>${object.reason}</small>` : ''}</td>
<td>${
    object.changes.length > 0
      ? html`<ul class="changes">${object.changes.map((change) => html`<li><code>${change.path}</code>: <del>${valueText(change.from)}</del> → <ins>${valueText(change.to)}</ins></li>`)}</ul>`
      : '—'
  }</td>
<td>${membersCell(object)}</td>
</tr>`;
}

function membersCell(object: ObjectChange): SafeHtml | string {
  const { membersAdded: added, membersRemoved: removed, membersNotListed: more } = object;
  if (added.length + removed.length === 0) return '—';
  return html`${added.length > 0 ? html`<span class="added">+ ${added.join(', ')}</span>` : ''}${removed.length > 0 ? html`<span class="removed">− ${removed.join(', ')}</span>` : ''}${more > 0 ? html`<span>… and ${more} more</span>` : ''}`;
}

function valueText(value: string | boolean | undefined): string {
  return value === undefined ? '(none)' : String(value);
}
