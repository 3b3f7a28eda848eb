import type { ExplainKind } from '../../model/explain.js';
import type { EventOutcome } from '../../runs/ports.js';
import { CONSOLE_PATH } from './layout.js';

/** Where the console's tenant pages live, for the links between them. */

export function tenantPath(tenant: string): string {
  return `${CONSOLE_PATH}/tenants/${encodeURIComponent(tenant)}`;
}

/** What the log page was asked: its search form's fields and the cursor of the page. */
export interface LogSearch {
  readonly subject?: string;
  readonly runId?: string;
  readonly outcome?: EventOutcome;
  /** Show the events logged before this one (the "Older" link's cursor). */
  readonly before?: string;
}

export function logPath(tenant: string, search: LogSearch = {}): string {
  return `${tenantPath(tenant)}/log${queryOf(search)}`;
}

/** What the explain form asks: a subject as the source names it, and whether it is a user or a group. */
export interface ExplainSearch {
  readonly subject?: string;
  readonly kind: ExplainKind;
}

export function explainPath(tenant: string, search?: ExplainSearch): string {
  return `${tenantPath(tenant)}/explain${search?.subject ? queryOf(search) : ''}`;
}

function queryOf(fields: object): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    if (typeof value === 'string' && value) query.set(name, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}
