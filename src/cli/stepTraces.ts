import type { SubjectTrace } from '../model/provision.js';
import { stepDetails } from '../runs/stepDetails.js';
import { renderTable } from './table.js';

/** At a terminal: a subject's steps as the rows of a table. */
export function traceTable(trace: SubjectTrace): string {
  return [
    `${trace.kind} ${trace.subject}: ${trace.status.toUpperCase()}`,
    renderTable(
      [{ title: 'step' }, { title: 'status' }, { title: 'details' }],
      trace.steps.map((step) => [step.step, step.status, stepDetails(step)]),
      '  ',
    ),
  ].join('\n');
}

/** Elsewhere: a line for the subject, then one line per step. */
export function traceLines(trace: SubjectTrace): string[] {
  return [
    `${trace.kind} ${trace.subject}: ${trace.status.toUpperCase()}`,
    ...trace.steps.map((step) => `  ${step.step.padEnd(7)} ${step.status.padEnd(8)} ${stepDetails(step)}`),
  ];
}
