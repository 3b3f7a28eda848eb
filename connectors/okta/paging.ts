import type { Collection } from '@okta/okta-sdk-nodejs';

export interface ReadAllOptions {
  /**
   * System Log polling: the next link never ends, so the read ends at the first empty page.
   * Other lists end when a page has no next link.
   */
  readonly untilEmptyPage?: boolean;
}

/** Consecutive empty pages that still point somewhere new before the list is declared broken. */
const MAX_EMPTY_PAGES = 10;

/**
 * Every item of every page, or a thrown error. The SDK's iterator yields `null` for a page
 * without items and, when that page's next link is the page itself (log polling), forever:
 * both are guarded here.
 */
export async function readAll<T>(collection: Collection<T>, options: ReadAllOptions = {}): Promise<T[]> {
  const items: T[] = [];
  let emptyPages = 0;
  let pageUri = collection.nextUri;
  for await (const item of collection) {
    if (item !== null && item !== undefined) {
      items.push(item);
      emptyPages = 0;
      pageUri = collection.nextUri;
      continue;
    }
    if (options.untilEmptyPage || collection.nextUri === pageUri) break;
    if (++emptyPages >= MAX_EMPTY_PAGES) {
      throw new Error(`Okta kept answering empty pages with a next link (${MAX_EMPTY_PAGES} in a row)`);
    }
    pageUri = collection.nextUri;
  }
  return items;
}

/** The first page only (probes); one request. */
export async function readFirst<T>(collection: Collection<T>): Promise<T | undefined> {
  const first = await collection.next();
  return first.value ?? undefined;
}

/** At most `count` items, reading no page past the one that holds the last of them. */
export async function readUpTo<T>(collection: Collection<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  for await (const item of collection) {
    if (item === null || item === undefined) break;
    items.push(item);
    if (items.length >= count) break;
  }
  return items;
}
