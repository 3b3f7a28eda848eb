import { PlatformError } from '../model/platform.js';
import { mapWithConcurrency } from '../util/mapWithConcurrency.js';

export interface Page<T> {
  readonly resources: readonly T[];
  readonly totalResults: number;
}

export type PageFetcher<T> = (startIndex: number, count: number) => Promise<Page<T>>;

/**
 * Reads every page of a SCIM list. The first page tells the total and the server's real page
 * size (it may cap `count`); the other pages are then fetched in parallel, each range following
 * on where a short answer stopped. An empty page before the total is an error, never the end.
 * Only `totalResults` and the resources counted bound the reading: `itemsPerPage` (which some
 * servers echo from `count`) is ignored, and no page is asked for past the total, where some
 * servers answer page 1 again.
 */
export async function readAllPages<T>(
  fetchPage: PageFetcher<T>,
  options: {
    pageSize: number;
    concurrency: number;
    idOf: (item: T) => string;
    what: string;
    /** Refuse to read a list longer than this, rather than read it all. */
    maxResources?: number;
  },
): Promise<T[]> {
  const first = await fetchPage(1, options.pageSize);
  if (options.maxResources !== undefined && first.totalResults > options.maxResources)
    throw new PlatformError(
      `SCIM ${options.what} lists ${first.totalResults} resources, more than the ${options.maxResources} dirsync reads to look objects up without a filter`,
      502,
    );
  const pageSize = first.resources.length;
  if (pageSize >= first.totalResults) return [...first.resources];
  if (pageSize === 0) throw incomplete(options.what, 1, first.totalResults);
  const starts: number[] = [];
  for (let start = 1 + pageSize; start <= first.totalResults; start += pageSize) starts.push(start);
  const firstId = options.idOf(first.resources[0] as T);
  const rest = await mapWithConcurrency(starts, options.concurrency, async (start) => {
    const range = await readRange(fetchPage, start, pageSize, options.what);
    // A server that ignores startIndex answers page 1 for every page: reading on would silently
    // lose every resource past the first page.
    if (range.length > 0 && options.idOf(range[0] as T) === firstId)
      throw new PlatformError(
        `SCIM ${options.what} answered startIndex ${start} with the first page again: the platform does not page this list`,
        502,
      );
    return range;
  });
  return uniqueById([first.resources, ...rest], options.idOf);
}

async function readRange<T>(
  fetchPage: PageFetcher<T>,
  start: number,
  count: number,
  what: string,
): Promise<T[]> {
  const resources: T[] = [];
  let next = start;
  while (resources.length < count) {
    const page = await fetchPage(next, count - resources.length);
    if (next > page.totalResults) break;
    if (page.resources.length === 0) throw incomplete(what, next, page.totalResults);
    resources.push(...page.resources);
    next += page.resources.length;
    if (next > page.totalResults) break;
  }
  return resources;
}

/** Inserts while paging shift later items forward, so a page boundary can repeat one. */
function uniqueById<T>(pages: readonly (readonly T[])[], idOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const page of pages) {
    for (const item of page) {
      const id = idOf(item);
      if (seen.has(id)) continue;
      seen.add(id);
      unique.push(item);
    }
  }
  return unique;
}

function incomplete(what: string, startIndex: number, totalResults: number): PlatformError {
  return new PlatformError(
    `SCIM ${what} returned an empty page at startIndex ${startIndex} of ${totalResults}: the listing is incomplete`,
    502,
  );
}
