import type { AttributeChange } from '../model/plan.js';
import type {
  CreatedResource,
  GroupQuery,
  Platform,
  PlatformCapabilities,
  UserQuery,
} from '../model/platform.js';
import type { PlatformGroup, PlatformUser, ScimUserState } from '../model/scim.js';
import type { CallCounter } from '../model/source.js';
import { mapWithConcurrency } from '../util/mapWithConcurrency.js';
import { anyEqualsFilter } from './filter/quote.js';
import { isJsonObject } from './json.js';
import { readAllPages } from './paging.js';
import {
  addMembersOperation,
  changeOperations,
  type PatchOperation,
  patchRequest,
  removeMembersOperations,
} from './patchOperations.js';
import { parseCreated, parseGroup, parseListResponse, parseUser } from './resourceParsing.js';
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
}

type ResourceType = 'Users' | 'Groups';

const DEFAULTS = { pageSize: 1000, filterBatchSize: 20, membersPerPatch: 100 };

/** The platform's SCIM 2.0 endpoint (RFC 7644) as the `Platform` port. */
export class ScimPlatform implements Platform {
  readonly #http: ScimHttp;
  readonly #settings: typeof DEFAULTS;
  readonly #concurrency: number;
  readonly #counter: CallCounter | undefined;
  readonly #options: ScimPlatformOptions;

  constructor(options: ScimPlatformOptions, sharedHttp?: ScimHttp) {
    this.#options = options;
    this.#http = sharedHttp ?? new ScimHttp(options);
    this.#counter = options.counter;
    this.#concurrency = options.concurrency;
    this.#settings = {
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
      filterBatchSize: options.filterBatchSize ?? DEFAULTS.filterBatchSize,
      membersPerPatch: options.membersPerPatch ?? DEFAULTS.membersPerPatch,
    };
  }

  async capabilities(): Promise<PlatformCapabilities> {
    const body = await this.#expect({ method: 'GET', path: '/ServiceProviderConfig' });
    const section = (name: string) => (isJsonObject(body) && isJsonObject(body[name]) ? body[name] : {});
    const filter = section('filter');
    return {
      patch: section('patch').supported === true,
      filter: filter.supported === true,
      ...(typeof filter.maxResults === 'number' && { maxResults: filter.maxResults }),
    };
  }

  listUsers(): Promise<PlatformUser[]> {
    return this.#list('Users', parseUser);
  }

  listGroups(): Promise<PlatformGroup[]> {
    return this.#list('Groups', parseGroup);
  }

  findUsers(query: UserQuery): Promise<PlatformUser[]> {
    return this.#find('Users', parseUser, [
      ['externalId', query.externalIds],
      ['userName', query.userNames],
      ['emails.value', query.emails],
    ]);
  }

  findGroups(query: GroupQuery): Promise<PlatformGroup[]> {
    return this.#find('Groups', parseGroup, [
      ['externalId', query.externalIds],
      ['displayName', query.displayNames],
    ]);
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

  async patchUser(id: string, changes: readonly AttributeChange[]): Promise<void> {
    await this.#patch('Users', id, changeOperations(changes));
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
    return new ScimPlatform({ ...this.#options, counter }, this.#http);
  }

  close(): void {
    this.#http.close();
  }

  async #patch(type: ResourceType, id: string, operations: readonly PatchOperation[]): Promise<void> {
    if (operations.length === 0) return;
    await this.#expect({ method: 'PATCH', path: resourcePath(type, id), body: patchRequest(operations) });
  }

  #list<T extends { id: string }>(type: ResourceType, parse: (resource: unknown) => T, filter?: string) {
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
      },
    );
  }

  async #find<T extends { id: string }>(
    type: ResourceType,
    parse: (resource: unknown) => T,
    criteria: readonly (readonly [attribute: string, values: readonly string[] | undefined])[],
  ): Promise<T[]> {
    const filters = criteria.flatMap(([attribute, values]) =>
      chunks([...new Set(values ?? [])], this.#settings.filterBatchSize).map((batch) =>
        anyEqualsFilter(attribute, batch),
      ),
    );
    const pages = await mapWithConcurrency(filters, this.#concurrency, (filter) =>
      this.#list(type, parse, filter),
    );
    return [...new Map(pages.flat().map((item) => [item.id, item])).values()];
  }

  /** Sends and returns the body of a 2xx answer; 404 gives undefined when absence is an answer. */
  async #expect(request: ScimRequest, options: { absentOn404?: boolean } = {}): Promise<unknown> {
    const response: ScimResponse = await this.#http.send(request, this.#counter);
    if (response.status >= 200 && response.status < 300) return response.body;
    if (response.status === 404 && options.absentOn404) return undefined;
    throw failure(request, response);
  }
}

function resourcePath(type: ResourceType, id: string): string {
  return `/${type}/${encodeURIComponent(id)}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
