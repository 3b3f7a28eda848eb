import { PROVISION_LIMITS, type ProvisionStep, type SubjectTrace } from '../../model/provision.js';
import type { ProvisionProgress, ProvisionStage } from '../../runs/provisionTrace.js';
import { stepDetails } from '../../runs/stepDetails.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageContext } from './layout.js';
import { tenantPath } from './tenantPage.js';
import { runPath } from './tenantsPage.js';

export function provisionPath(tenant: string): string {
  return `${tenantPath(tenant)}/provision`;
}

/** What the form held, shown again with the answer so a second run starts from it. */
export interface ProvisionFormValues {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

const STEPS: Readonly<Record<SubjectTrace['kind'], readonly ProvisionStep['step'][]>> = {
  user: ['import', 'scope', 'mapping', 'match', 'action'],
  group: ['import', 'scope', 'match', 'action'],
};

/**
 * Provision on demand: users and groups named one per line (a typeahead over the source fills
 * the lists when the script runs), a Run button for operators, and the step traces once run.
 */
export function provisionPage(
  tenant: string,
  context: PageContext,
  values: ProvisionFormValues = { users: [], groups: [] },
  view?: ProvisionProgress,
): string {
  const operator = context.principal.role === 'operator';
  const base = provisionPath(tenant);
  return layout(
    `Provision on demand — ${tenant}`,
    context,
    html`<p><a href="${tenantPath(tenant)}">← Tenant ${tenant}</a></p>
<h1>Provision on demand: ${tenant}</h1>
<p>Name users (object id, userName or email) and groups (object id or name), one per line, up to
${PROVISION_LIMITS.maxSubjects} in all. They are looked up in the source, planned and applied at once, ahead of
scheduled work, whether or not they are in the tenant's scope: the trace says so.</p>
<form id="provision" method="post" action="${base}" data-suggestions="${base}/suggestions">
<input type="hidden" name="csrf" value="${context.csrf}">
<div class="pickers">
${picker('user', 'Users', values.users)}
${picker('group', 'Groups', values.groups)}
</div>
${
  operator
    ? html`<p><button type="submit">Run</button></p>`
    : html`<p><button type="submit" disabled aria-describedby="viewer-note">Run</button> <span id="viewer-note">Only an operator can provision; you can look names up.</span></p>`
}
</form>
<section aria-labelledby="steps-title"><h2 id="steps-title">Steps</h2>
<p id="provision-status" role="status">${view ? stageText(view.stage) : 'Nothing run yet.'}</p>
<div id="provision-steps">${view ? provisionResults(tenant, view) : ''}</div>
</section>`,
  );
}

/**
 * A labelled text area of references, and a combobox over the source's suggestions that the
 * script turns on: without the script the text area alone is the form.
 */
function picker(kind: 'user' | 'group', title: string, values: readonly string[]): SafeHtml {
  const id = `${kind}s`;
  return html`<div class="picker">
<label for="${id}-find">Find ${kind}s by name</label>
<div class="combo"><input id="${id}-find" type="text" role="combobox" autocomplete="off" aria-autocomplete="list" aria-expanded="false" aria-controls="${id}-options" data-suggest="${kind}" data-list="${id}" placeholder="${kind === 'user' ? 'first letters of a name or email' : 'first letters of a group name'}" hidden>
<ul id="${id}-options" role="listbox" aria-label="${title} found" hidden></ul></div>
<label for="${id}">${title}, one per line</label>
<textarea id="${id}" name="${id}" rows="4">${values.join('\n')}</textarea>
</div>`;
}

export function stageText(stage: ProvisionStage): string {
  return {
    imported: 'Looked up in the source; planning…',
    planned: 'Planned; applying on the platform…',
    applied: 'Done.',
  }[stage];
}

/** Each subject's steps so far; steps still to come are listed as waiting, an action not yet applied as planned. */
export function provisionResults(tenant: string, view: ProvisionProgress): SafeHtml {
  return html`${view.results.map((trace) => traceSection(trace, view.stage))}
${
  view.stage === 'applied'
    ? html`<p class="run-link">Run <a href="${runPath(tenant, view.runId)}">${view.runId}</a>${view.note ? html` — ${view.note}` : ''}</p>`
    : ''
}`;
}

function traceSection(trace: SubjectTrace, stage: ProvisionStage): SafeHtml {
  const ended = trace.status !== 'success' || stage === 'applied';
  const shown = trace.steps.map((step) => ({
    step: step.step,
    status: step.step === 'action' && stage !== 'applied' ? 'planned' : step.status,
    details: stepDetails(step),
  }));
  const waiting = ended
    ? []
    : STEPS[trace.kind]
        .filter((step) => !trace.steps.some((known) => known.step === step))
        .map((step) => ({ step, status: 'waiting', details: '' }));
  const status = ended ? trace.status : 'in progress';
  return html`<section class="trace" data-subject="${trace.subject}" data-status="${status}">
<h3>${trace.kind} ${trace.subject}: <span class="status-${status.replace(' ', '-')}">${status}</span></h3>
<table><thead><tr><th scope="col">Step</th><th scope="col">Status</th><th scope="col">Details</th></tr></thead>
<tbody>${[...shown, ...waiting].map(
    (row) =>
      html`<tr data-step="${row.step}" data-step-status="${row.status}" class="${row.status === 'failure' ? 'problem-row' : ''}"><th scope="row">${row.step}</th><td>${row.status}</td><td class="details">${row.details}</td></tr>`,
  )}</tbody></table></section>`;
}
