import type { AttributeChange } from '../model/plan.js';
import {
  type CreatedResource,
  type GroupQuery,
  type LookupFallback,
  type LookupObserver,
  type Platform,
  type PlatformCapabilities,
  PlatformError,
  type UserQuery,
} from '../model/platform.js';
import type { PlatformGroup, PlatformUser, ScimAttributes, ScimUserState } from '../model/scim.js';
import type { CallCounter } from '../model/source.js';
import { mapWithConcurrency } from '../util/mapWithConcurrency.js';
import { filterValues, isCaseExactAttribute, valuesMatched } from './clientMatch.js';
import { anyEqualsFilter } from './filter/quote.js';
import { type FilterTraits, FilterTraitsMemo, probeFilterTraits, type ResourceType } from './filterTraits.js';
import { getAttribute, isJsonObject } from './json.js';
import { readAllPages } from './paging.js';
import {
  addMembersOperation,
  changeOperations,
  hasValuePathOperation,
  type PatchOperation,
  patchRequest,
  removeMembersOperations,
  wholeAttributeOperations,
} from './patchOperations.js';
import {
  parseCreated,
  parseGroup,
  parseListResponse,
  parseUser,
  type RawResource,
  rawResource,
} from './resourceParsing.js';
import { failure, ScimHttp, type ScimHttpOptions, type ScimRequest, type ScimResponse } from './scimHttp.js';
import { toScimResource } from './scimResource.js';
import { CORE_GROUP_URN } from './scimSchemas.js';

export interface ScimPlatformOptions extends ScimHttpOptions {
  /** `count` asked for per list page; the server may cap it, and its cap is then used. */
  readonly pageSize?: number;
  /** Values OR-ed into one filter of a find. */
  readonly filterBatchSize?: number;
  /** Members per PATCH of a group. */
  readonly membersPerPatch?: number;
  /** The most resources a lookup reads when the server cannot answer it by filter. */
  readonly scanCap?: number;
}

/** The most resources a lookup reads when the platform cannot answer it by filter. */
export const DEFAULT_SCAN_CAP = 50_000;

const DEFAULTS = { pageSize: 1000, filterBatchSize: 20, membersPerPatch: 100, scanCap: DEFAULT_SCAN_CAP };

/**
 * A filter literal some servers refuse or do not decode: a JSON escape is needed to carry it — a
 * quote, a backslash, or a control character such as a tab in a userName.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

type LookupCriterion = readonly [attribute: string, values: readonly string[] | undefined];

function userCriteria(query: UserQuery): LookupCriterion[] {
  return [
    ['externalId', query.externalIds],
    ['userName', query.userNames],
    ['emails.value', query.emails],
  ];
}

interface Criterion {
  readonly attribute: string;
  readonly values: readonly string[];
}

/** What filters found for one attribute, and the values they could not settle. */
interface FilteredLookup {
  readonly attribute: string;
  readonly found: readonly RawResource[];
  readonly unsettled: readonly string[];
  readonly reason?: LookupFallback['reason'];
}

/** The platform's SCIM 2.0 endpoint (RFC 7644) as the `Platform` port. */
export class ScimPlatform implements Platform {
  readonly #http: ScimHttp;
  readonly #settings: typeof DEFAULTS;
  readonly #concurrency: number;
  readonly #counter: CallCounter | undefined;
  readonly #options: ScimPlatformOptions;
  /** How the server's filters really compare: asked once, shared by every counter. */
  readonly #filterTraits: FilterTraitsMemo;

  constructor(options: ScimPlatformOptions, shared?: { http: ScimHttp; filterTraits: FilterTraitsMemo }) {
    this.#options = options;
    this.#http = shared?.http ?? new ScimHttp(options);
    this.#filterTraits = shared?.filterTraits ?? new FilterTraitsMemo();
    this.#counter = options.counter;
    this.#concurrency = options.concurrency;
    this.#settings = {
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
      filterBatchSize: options.filterBatchSize ?? DEFAULTS.filterBatchSize,
      membersPerPatch: options.membersPerPatch ?? DEFAULTS.membersPerPatch,
      scanCap: options.scanCap ?? DEFAULTS.scanCap,
    };
  }

  async capabilities(): Promise<PlatformCapabilities> {
    const body = await this.#expect({ method: 'GET', path: '/ServiceProviderConfig' });
    const section = (name: string) => (isJsonObject(body) && isJsonObject(body[name]) ? body[name] : {});
    const filter = section('filter');
    const bulk = section('bulk');
    return {
      patch: section('patch').supported === true,
      filter: filter.supported === true,
      ...(typeof filter.maxResults === 'number' && { maxResults: filter.maxResults }),
      sort: section('sort').supported === true,
      etag: section('etag').supported === true,
      bulk: bulk.supported === true,
      ...(typeof bulk.maxOperations === 'number' && { bulkMaxOperations: bulk.maxOperations }),
    };
  }

  listUsers(): Promise<PlatformUser[]> {
    return this.#list('Users', parseUser);
  }

  listGroups(): Promise<PlatformGroup[]> {
    return this.#list('Groups', parseGroup);
  }

  async findUsers(
    query: UserQuery,
    observe?: LookupObserver,
    thenFind?: (found: readonly PlatformUser[]) => UserQuery,
  ): Promise<PlatformUser[]> {
    const scan = this.#scanOnce('Users');
    const found = (await this.#find('Users', userCriteria(query), observe, scan)).map(parseUser);
    if (thenFind === undefined) return found;
    const more = await this.#find('Users', userCriteria(thenFind(found)), observe, scan);
    const byId = new Map(found.map((user) => [user.id, user]));
    for (const resource of more) if (!byId.has(resource.id)) byId.set(resource.id, parseUser(resource));
    return [...byId.values()];
  }

  async findGroups(query: GroupQuery, observe?: LookupObserver): Promise<PlatformGroup[]> {
    const found = await this.#find(
      'Groups',
      [
        ['externalId', query.externalIds],
        ['displayName', query.displayNames],
      ],
      observe,
      this.#scanOnce('Groups'),
    );
    return found.map(parseGroup);
  }

  async getUser(id: string): Promise<PlatformUser | undefined> {
    const body = await this.#expect(
      { method: 'GET', path: resourcePath('Users', id) },
      { absentOn404: true },
    );
    return body === undefined ? undefined : parseUser(body);
  }

  async getGroup(id: string): Promise<PlatformGroup | undefined> {
    const body = await this.#expect(
      { method: 'GET', path: resourcePath('Groups', id) },
      { absentOn404: true },
    );
    return body === undefined ? undefined : parseGroup(body);
  }

  async createUser(user: ScimUserState): Promise<CreatedResource> {
    return parseCreated(
      await this.#expect({ method: 'POST', path: '/Users', body: toScimResource(user) }),
      'User',
    );
  }

  /**
   * Value paths (`emails[type eq "work"].value`) go out only for elements the platform has; a
   * server that refuses one anyway (`400`), or answers with a copy that lacks the change (it
   * ignored the operation), gets the multi-valued attributes whole instead.
   */
  async patchUser(id: string, changes: readonly AttributeChange[], known?: ScimAttributes): Promise<void> {
    const operations = changeOperations(changes, known);
    if (operations.length === 0) return;
    let ignored: boolean;
    try {
      const answered = await this.#patch('Users', id, operations);
      // A 204 shows nothing; an answered copy shows whether a value-path operation was taken.
      ignored =
        answered !== undefined && hasValuePathOperation(operations) && lacksChanges(answered, changes);
    } catch (error) {
      if (!(error instanceof PlatformError && error.status === 400 && hasValuePathOperation(operations)))
        throw error;
      ignored = true;
    }
    if (!ignored) return;
    const current = await this.#expect({ method: 'GET', path: resourcePath('Users', id) });
    if (!isJsonObject(current)) throw new PlatformError(`SCIM GET /Users/${id} answered no resource`, 502);
    await this.#patch('Users', id, wholeAttributeOperations(changes, current));
  }

  async deleteUser(id: string): Promise<void> {
    await this.#expect({ method: 'DELETE', path: resourcePath('Users', id) }, { absentOn404: true });
  }

  async createGroup(group: {
    externalId: string;
    displayName: string;
    memberIds: readonly string[];
  }): Promise<CreatedResource> {
    const body = {
      schemas: [CORE_GROUP_URN],
      externalId: group.externalId,
      displayName: group.displayName,
      members: group.memberIds.map((value) => ({ value })),
    };
    return parseCreated(await this.#expect({ method: 'POST', path: '/Groups', body }), 'Group');
  }

  async patchGroup(id: string, changes: readonly AttributeChange[]): Promise<void> {
    await this.#patch('Groups', id, changeOperations(changes));
  }

  async addMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    for (const chunk of chunks(memberIds, this.#settings.membersPerPatch))
      await this.#patch('Groups', groupId, [addMembersOperation(chunk)]);
  }

  async removeMembers(groupId: string, memberIds: readonly string[]): Promise<void> {
    for (const chunk of chunks(memberIds, this.#settings.membersPerPatch))
      await this.#patch('Groups', groupId, removeMembersOperations(chunk));
  }

  async deleteGroup(id: string): Promise<void> {
    await this.#expect({ method: 'DELETE', path: resourcePath('Groups', id) }, { absentOn404: true });
  }

  /** Frees the keep-alive sockets. */
  /** The same connection pool, with calls counted by `counter` (one per run or job). */
  withCounter(counter: CallCounter): ScimPlatform {
    return new ScimPlatform(
      { ...this.#options, counter },
      { http: this.#http, filterTraits: this.#filterTraits },
    );
  }

  close(): void {
    this.#http.close();
  }

  /** The resource the server answered with, or undefined when it answered `204` (RFC 7644 §3.5.2). */
  async #patch(type: ResourceType, id: string, operations: readonly PatchOperation[]): Promise<unknown> {
    if (operations.length === 0) return undefined;
    const body = await this.#expect({
      method: 'PATCH',
      path: resourcePath(type, id),
      body: patchRequest(operations),
    });
    return isJsonObject(body) ? body : undefined;
  }

  #list<T extends { id: string }>(
    type: ResourceType,
    parse: (resource: unknown) => T,
    filter?: string,
    maxResources?: number,
  ) {
    return readAllPages(
      async (startIndex, count) => {
        const query = {
          startIndex: String(startIndex),
          count: String(count),
          ...(filter !== undefined && { filter }),
        };
        const body = await this.#expect({ method: 'GET', path: `/${type}`, query });
        return parseListResponse(body, parse);
      },
      {
        pageSize: this.#settings.pageSize,
        concurrency: this.#concurrency,
        idOf: (item) => item.id,
        what: `GET /${type}`,
        ...(maxResources !== undefined && { maxResources }),
      },
    );
  }

  /**
   * Resources holding any of the values, by filter where the server can answer one: every answer
   * is compared again here (attributes compared without case as RFC 7643 says, whatever the
   * server did). Values a filter cannot settle — refused, or holding an escape the server may not
   * decode and found by none — are looked for in one bounded read of every resource.
   */
  async #find(
    type: ResourceType,
    criteria: readonly LookupCriterion[],
    observe: LookupObserver | undefined,
    scan: () => Promise<RawResource[]>,
  ): Promise<RawResource[]> {
    const wanted: Criterion[] = criteria.flatMap(([attribute, values]) =>
      values === undefined || values.length === 0 ? [] : [{ attribute, values: [...new Set(values)] }],
    );
    const lookups = await mapWithConcurrency(wanted, this.#concurrency, (criterion) =>
      this.#findByFilter(type, criterion),
    );
    const found = new Map<string, RawResource>();
    for (const lookup of lookups) for (const resource of lookup.found) found.set(resource.id, resource);
    const unsettled = lookups.filter((lookup) => lookup.unsettled.length > 0);
    if (unsettled.length === 0) return [...found.values()];
    const everything = await scan();
    for (const lookup of unsettled) {
      const values = new Set(lookup.unsettled);
      const matches = everything.filter(
        (resource) => valuesMatched(resource, lookup.attribute, values).length > 0,
      );
      for (const resource of matches) found.set(resource.id, resource);
      const fallback: LookupFallback = {
        resourceType: type,
        attribute: lookup.attribute,
        reason: lookup.reason ?? 'undecoded',
        scanned: everything.length,
        found: matches.length,
      };
      // Runs read the log; provision on demand also puts it in its trace.
      this.#options.logger?.warn(
        fallback,
        'the platform could not answer a lookup by filter; scanned instead',
      );
      observe?.(fallback);
    }
    return [...found.values()];
  }

  /** The bounded read of every resource a lookup falls back on, made at most once however often asked. */
  #scanOnce(type: ResourceType): () => Promise<RawResource[]> {
    let everything: Promise<RawResource[]> | undefined;
    return () => {
      everything ??= this.#list(type, rawResource, undefined, this.#settings.scanCap);
      return everything;
    };
  }

  async #findByFilter(type: ResourceType, criterion: Criterion): Promise<FilteredLookup> {
    const { attribute } = criterion;
    const plain = criterion.values.filter((value) => !NEEDS_ESCAPE.test(value));
    const escaped = criterion.values.filter((value) => NEEDS_ESCAPE.test(value));
    const batches = [
      ...chunks(plain, this.#settings.filterBatchSize),
      ...chunks(escaped, this.#settings.filterBatchSize),
    ];
    const found: RawResource[] = [];
    const unsettled: string[] = [];
    const missing: string[] = [];
    let reason: LookupFallback['reason'] | undefined;
    for (const batch of batches) {
      let answer: RawResource[];
      try {
        answer = await this.#list(
          type,
          rawResource,
          anyEqualsFilter(attribute, filterValues(attribute, batch)),
        );
      } catch (error) {
        if (!isFilterRefusal(error)) throw error;
        unsettled.push(...batch);
        reason = 'refused';
        continue;
      }
      const values = new Set(batch);
      const settled = new Set<string>();
      for (const resource of answer) {
        const matched = valuesMatched(resource, attribute, values);
        if (matched.length === 0) continue;
        found.push(resource);
        for (const value of matched) settled.add(value);
      }
      for (const value of batch) if (!settled.has(value)) missing.push(value);
    }
    // A value no resource answered may be there all the same, on a server that compares an
    // escape as text rather than the character it stands for, or compares case it should not.
    const caseExact = isCaseExactAttribute(attribute);
    if (missing.some((value) => !caseExact || NEEDS_ESCAPE.test(value))) {
      const traits = await this.#filterTraits.get(type, () => this.#probeFilterTraits(type));
      for (const value of missing) {
        const undecoded = NEEDS_ESCAPE.test(value) && !traits.decodesEscapes;
        const caseCompared = !caseExact && !traits.ignoresCase;
        if (!undecoded && !caseCompared) continue;
        unsettled.push(value);
        reason ??= undecoded ? 'undecoded' : 'caseExact';
      }
    }
    return { attribute, found, unsettled, ...(reason !== undefined && { reason }) };
  }

  async #probeFilterTraits(type: ResourceType): Promise<FilterTraits | undefined> {
    const body = await this.#expect({
      method: 'GET',
      path: `/${type}`,
      query: { startIndex: '1', count: '1' },
    });
    const [sample] = parseListResponse(body, rawResource).resources;
    return probeFilterTraits(type, sample, async (filter) => {
      try {
        return (await this.#list(type, rawResource, filter)).some((resource) => resource.id === sample?.id);
      } catch (error) {
        if (isFilterRefusal(error)) return false;
        throw error;
      }
    });
  }

  /** Sends and returns the body of a 2xx answer; 404 gives undefined when absence is an answer. */
  async #expect(request: ScimRequest, options: { absentOn404?: boolean } = {}): Promise<unknown> {
    const response: ScimResponse = await this.#http.send(request, this.#counter);
    if (response.status >= 200 && response.status < 300) return response.body;
    if (response.status === 404 && options.absentOn404) return undefined;
    throw failure(request, response);
  }
}

/** A server that cannot take a filter answers 400 (`invalidFilter`, `invalidValue`…) or 501. */
function isFilterRefusal(error: unknown): boolean {
  return error instanceof PlatformError && (error.status === 400 || error.status === 501);
}

/** Whether a PATCH answer lacks a value-path change sent to it: the server ignored the operation. */
function lacksChanges(answered: unknown, changes: readonly AttributeChange[]): boolean {
  // An answer without even the userName is a summary, not the user: it cannot tell.
  if (!isJsonObject(answered) || typeof getAttribute(answered, 'userName') !== 'string') return false;
  const attributes = parseUser({ id: '', ...answered }).attributes;
  return changes.some(
    (change) =>
      change.path.includes('[') && typeof change.to === 'string' && attributes[change.path] !== change.to,
  );
}

function resourcePath(type: ResourceType, id: string): string {
  return `/${type}/${encodeURIComponent(id)}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
