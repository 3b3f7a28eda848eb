import type { FilterVerdict } from '../engine/index.js';
import type { ProvisionStep, SubjectTrace } from '../model/provision.js';
import { renderTable } from './table.js';

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** `country eq FR: pass; department in [Sales]: FAIL ('HR')`. */
function filterVerdicts(verdicts: readonly FilterVerdict[]): string {
  return verdicts
    .map(({ filter, passed, actual }) =>
      passed ? `${filter}: pass` : `${filter}: FAIL (${actual === null ? 'empty' : `'${actual}'`})`,
    )
    .join('; ');
}

/**
 * A step's details as `key=value` pairs. The import step's source attributes are left out (the
 * mapping step shows what is sent); the mapping step shows each mapped SCIM value.
 */
export function stepDetails(step: ProvisionStep): string {
  return Object.entries(step.details)
    .flatMap(([key, value]) => {
      if (key === 'attributes') {
        if (step.step !== 'mapping') return [];
        return Object.entries(value as Record<string, unknown>).map(
          ([path, mapped]) => `${path}=${shown(mapped)}`,
        );
      }
      if (key === 'filters') return [`filters=${filterVerdicts(value as FilterVerdict[])}`];
      return [`${key}=${shown(value)}`];
    })
    .join(' ');
}

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
