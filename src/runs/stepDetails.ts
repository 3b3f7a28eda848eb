import type { FilterVerdict } from '../engine/index.js';
import type { ProvisionStep } from '../model/provision.js';

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
