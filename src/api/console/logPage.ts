import type { ProvisioningEvent } from '../../model/run.js';
import { EVENT_SCAN_BOUND } from '../../runs/eventScan.js';
import type { EventOutcome, EventPage } from '../../runs/ports.js';
import { relativeTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';
import { explainPath, type LogSearch, logPath, tenantPath } from './paths.js';
import { runPath } from './tenantsPage.js';

/** Events one page of the log shows. */
export const LOG_PAGE_SIZE = 50;
/** Attribute changes a row spells out before it only counts the rest. */
const CHANGES_SHOWN = 3;
const OUTCOMES: readonly EventOutcome[] = ['success', 'failure', 'skipped'];

/**
 * A tenant's provisioning log, newest first: searched by part of a name, email or id, by run and by
 * outcome, each event linking to its run, paged back in time by the "Older" link.
 */
export function logPage(tenant: string, search: LogSearch, found: EventPage, context: PageContext): string {
  const filters = { ...search, before: undefined };
  const searching = Boolean(search.subject || search.runId || search.outcome);
  return layout(
    `Provisioning log of ${tenant}`,
    context,
    html`<p><a href="${tenantPath(tenant)}">← ${tenant}</a></p>
<h1>Provisioning log of ${tenant}</h1>
<form method="get" action="${logPath(tenant)}" class="search" role="search" aria-label="Search the log">
<label for="log-subject">Subject</label> <input id="log-subject" name="subject" type="search" value="${search.subject ?? ''}" placeholder="part of a user name, email, id or group name">
<label for="log-run">Run id</label> <input id="log-run" name="runId" value="${search.runId ?? ''}" size="22">
<label for="log-outcome">Outcome</label> <select id="log-outcome" name="outcome"><option value="">any</option>${OUTCOMES.map(
      (outcome) => html`<option${outcome === search.outcome ? html` selected` : ''}>${outcome}</option>`,
    )}</select>
<button type="submit">Search</button>${searching ? html` <a href="${logPath(tenant)}">Clear</a>` : ''}
</form>
<p>Newest first${search.before ? html`, older than the page before (<a href="${logPath(tenant, filters)}">back to the newest</a>)` : ''}. Names and ids match in part, without case.</p>
${eventsTable(tenant, found.events, context)}
${found.scanLimited ? html`<p>The search stopped after examining ${EVENT_SCAN_BOUND.toLocaleString('en')} events; older ones may match too.</p>` : ''}
${found.next ? html`<p><a href="${logPath(tenant, { ...filters, before: found.next })}" rel="next">Older events</a></p>` : html`<p>No older event${searching ? ' matches' : ''}.</p>`}`,
  );
}

function eventsTable(tenant: string, events: readonly ProvisioningEvent[], context: PageContext): SafeHtml {
  if (events.length === 0) return html`<p>No event found.</p>`;
  return html`<table id="log" aria-label="Provisioning events, newest first"><thead><tr><th scope="col">Time</th><th scope="col">Object</th><th scope="col">Op</th><th scope="col">Outcome</th><th scope="col">Reason</th><th scope="col">Changes</th><th scope="col">Run</th></tr></thead>
<tbody>${events.map((event) => eventRow(tenant, event, context.now))}</tbody></table>`;
}

function eventRow(tenant: string, event: ProvisioningEvent, now: Date): SafeHtml {
  const name = event.subject ?? event.externalId;
  return html`<tr data-outcome="${event.outcome}" class="${event.outcome === 'failure' ? 'problem-row' : ''}">
<td><time datetime="${event.at}">${event.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time><br><small>${relativeTime(event.at, now)}</small></td>
<th scope="row">${event.objectType} ${name}${event.email && event.email !== name ? html` <small>${event.email}</small>` : ''}<br><small class="id">${event.externalId}</small>${
    event.objectType === 'user'
      ? html` · <a href="${explainPath(tenant, { subject: event.externalId, kind: 'user' })}" aria-label="Explain ${name}">Explain</a>`
      : ''
  }</th>
<td>${event.op ?? '—'}</td>
<td>${event.outcome}</td>
<td>${event.reason ?? '—'}</td>
<td>${changesSummary(event.changes ?? [])}</td>
<td><a href="${runPath(tenant, event.runId)}">${event.runId}</a></td>
</tr>`;
}

function changesSummary(changes: NonNullable<ProvisioningEvent['changes']>): SafeHtml | string {
  if (changes.length === 0) return '—';
  const shown = changes.slice(0, CHANGES_SHOWN);
  const more = changes.length - shown.length;
  return html`<ul class="changes">${shown.map((change) => html`<li><code>${change.path}</code>: ${valueText(change.from)} → ${valueText(change.to)}</li>`)}${more > 0 ? html`<li>and ${more} more</li>` : ''}</ul>`;
}

function valueText(value: string | boolean | undefined): string {
  return value === undefined ? '(none)' : String(value);
}
