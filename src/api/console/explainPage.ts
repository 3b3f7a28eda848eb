import type { ExplainAnswer } from '../../model/explain.js';
import type { ProvisionStep } from '../../model/provision.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';
import { type ExplainSearch, explainPath, tenantPath } from './paths.js';

const STEP_TITLES: Readonly<Record<ProvisionStep['step'], string>> = {
  import: 'Import: the subject at the source',
  scope: 'Scope: is it in the tenant’s scope?',
  mapping: 'Mapping: the values a run would send',
  match: 'Match: the platform object it is',
  action: 'Action: what the next run would do',
};

/**
 * Explain (README, "On demand") as a page: why a user or group is (not) on the platform and what the
 * next run would do, step by step. A dry run: nothing is applied, so viewers may ask.
 */
export function explainPage(
  tenant: string,
  search: ExplainSearch,
  answer: ExplainAnswer | undefined,
  context: PageContext,
): string {
  return layout(
    `Explain ${search.subject ?? ''} on ${tenant}`,
    context,
    html`<p><a href="${tenantPath(tenant)}">← ${tenant}</a></p>
<h1>Explain a ${search.kind} on ${tenant}</h1>
<p>Why is it (not) on the platform, and what would the next run do? A dry run: the source and the platform are read, nothing is changed.</p>
<form method="get" action="${explainPath(tenant)}" class="search" aria-label="Explain a subject">
<label for="explain-subject">User or group</label> <input id="explain-subject" name="subject" type="search" required maxlength="1024" value="${search.subject ?? ''}" placeholder="object id, userName or email; group id or name">
<label for="explain-kind">Kind</label> <select id="explain-kind" name="kind">${(
      ['user', 'group'] as const
    ).map((kind) => html`<option${kind === search.kind ? html` selected` : ''}>${kind}</option>`)}</select>
<button type="submit">Explain</button>
</form>
${answer ? trace(answer) : ''}`,
  );
}

function trace(answer: ExplainAnswer): SafeHtml {
  return html`<section aria-labelledby="verdict-title" class="explain">
<h2 id="verdict-title">${answer.kind} ${answer.subject}: ${verdict(answer)}</h2>
<ol class="steps">${answer.steps.map(
    (
      step,
    ) => html`<li class="step step-${step.status}" data-step="${step.step}"><h3>${STEP_TITLES[step.step]} — <span class="${step.status === 'failure' ? 'problem' : ''}">${step.status}</span></h3>
${stepBody(step)}</li>`,
  )}</ol></section>`;
}

/** The answer in one line: where the trace stopped and why, or the action it ends with. */
function verdict(answer: ExplainAnswer): string {
  const last = answer.steps.at(-1);
  const details = last?.details ?? {};
  if (last?.step === 'import' && last.status === 'failure') return `not found: ${text(details.reason)}`;
  if (last?.step === 'scope' && details.inScope === false)
    return `out of scope: ${text(details.decidedBy ?? details.reason)}`;
  if (last?.status === 'failure') return `${last.step} failed: ${text(details.reason)}`;
  if (last?.step === 'action')
    return details.action === 'none' ? 'nothing to do' : `the next run would ${text(details.action)}`;
  return answer.status;
}

/** Keys a step's details show in their own form, below the plain facts. */
const STRUCTURED = new Set(['filters', 'attributes', 'changes', 'membersAdded', 'membersRemoved', 'lookup']);

function stepBody(step: ProvisionStep): SafeHtml {
  const { details } = step;
  const facts = Object.entries(details).filter(([key]) => !STRUCTURED.has(key));
  return html`${
    facts.length > 0
      ? html`<dl class="facts">${facts.map(([key, value]) => html`<dt>${key}</dt><dd class="${key === 'decidedBy' || key === 'reason' ? 'decided' : ''}">${text(value)}</dd>`)}</dl>`
      : ''
  }
${Array.isArray(details.filters) ? filtersTable(details.filters as readonly FilterRow[]) : ''}
${isRecord(details.attributes) ? attributesTable(step.step, details.attributes) : ''}
${Array.isArray(details.changes) && details.changes.length > 0 ? changesTable(details.changes as readonly ChangeRow[]) : ''}
${listOf('Members added', details.membersAdded)}${listOf('Members removed', details.membersRemoved)}${listOf('Platform lookup', details.lookup)}`;
}

interface FilterRow {
  readonly filter: string;
  readonly passed: boolean;
  readonly actual: string | null;
}

function filtersTable(filters: readonly FilterRow[]): SafeHtml {
  return html`<table class="filters"><caption>Attribute filters</caption><thead><tr><th scope="col">Filter</th><th scope="col">Value</th><th scope="col">Verdict</th></tr></thead>
<tbody>${filters.map((filter) => html`<tr class="${filter.passed ? '' : 'problem-row'}"><th scope="row">${filter.filter}</th><td>${filter.actual ?? '(empty)'}</td><td>${filter.passed ? 'pass' : 'FAIL'}</td></tr>`)}</tbody></table>`;
}

function attributesTable(
  step: ProvisionStep['step'],
  attributes: Readonly<Record<string, unknown>>,
): SafeHtml {
  const caption = step === 'mapping' ? 'SCIM attributes it would send' : 'Source attributes';
  return html`<table class="attributes"><caption>${caption}</caption><thead><tr><th scope="col">Attribute</th><th scope="col">Value</th></tr></thead>
<tbody>${Object.entries(attributes).map(([name, value]) => html`<tr><th scope="row"><code>${name}</code></th><td>${text(value)}</td></tr>`)}</tbody></table>`;
}

interface ChangeRow {
  readonly path: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

function changesTable(changes: readonly ChangeRow[]): SafeHtml {
  return html`<table class="changes"><caption>Attribute changes</caption><thead><tr><th scope="col">Attribute</th><th scope="col">Now</th><th scope="col">Would be</th></tr></thead>
<tbody>${changes.map((change) => html`<tr><th scope="row"><code>${change.path}</code></th><td><del>${text(change.from ?? '(none)')}</del></td><td><ins>${text(change.to ?? '(none)')}</ins></td></tr>`)}</tbody></table>`;
}

function listOf(title: string, values: unknown): SafeHtml | string {
  if (!Array.isArray(values) || values.length === 0) return '';
  return html`<p>${title}: ${values.map(text).join(', ')}</p>`;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (value === null) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
