import type { Suggestion } from '../../src/model/source.js';

/** What a connector knows of a user it suggests; absent or empty parts are left out of the detail. */
export interface SuggestedUser {
  readonly id: string;
  readonly userName: unknown;
  readonly displayName?: unknown;
  readonly email?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A user as a typeahead lists it: its userName, then its display name and email where they add something. */
export function userSuggestion(user: SuggestedUser): Suggestion {
  const name = text(user.userName) || user.id;
  const detail = [text(user.displayName), text(user.email)]
    .filter((part, index, parts) => part !== '' && part !== name && parts.indexOf(part) === index)
    .join(' · ');
  return { id: user.id, name, detail };
}

export function groupSuggestion(id: string, displayName: unknown): Suggestion {
  return { id, name: text(displayName) || id, detail: '' };
}

/** Whether any of the values starts with `prefix`, ignoring case, as the directories' own searches do. */
export function startsWithAny(values: readonly unknown[], prefix: string): boolean {
  const wanted = prefix.toLowerCase();
  return values.some((value) => text(value).toLowerCase().startsWith(wanted));
}

/**
 * The first `limit` suggestions by name: a directory's search answers in its own order (Graph
 * cannot sort a filtered list without advanced queries), and a typeahead reads best sorted.
 */
export function firstSuggestions(suggestions: readonly Suggestion[], limit: number): Suggestion[] {
  return [...suggestions]
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id))
    .slice(0, limit);
}
