import type { EmulatedRequest, EmulatedResponse } from '../https/httpsServer.js';
import type { GraphDirectory } from './directory.js';
import { graphError } from './graphErrors.js';
import { parseSelect } from './odataQuery.js';
import { ODATA_TYPE, renderGroup, renderUser, withoutNulls } from './representation.js';

/**
 * `/users/delta` and `/groups/delta`. Tokens are opaque to clients but encode a change window
 * (since, upTo] of the directory's log and a position in it; a round's object list is fixed when
 * the round starts, and each object is rendered in its state at the time its page is read.
 *
 * As Graph documents it: the initial round gives whole objects without their null-valued
 * properties; a later round gives an object created (or restored) in its window whole, and an
 * updated one as its id with the properties that changed. With `Prefer: return=minimal` those are
 * exactly the changed ones, a cleared one as explicit `null`; without it, the changed ones that
 * have a value plus an arbitrary (seeded) few of the others. A group item carries `members@delta`
 * only for membership changes, so a rename carries no members.
 */
export type DeltaKind = 'users' | 'groups';

interface DeltaToken {
  /** Token generation: `expireDeltaTokens` bumps the directory's, invalidating older tokens. */
  readonly g: number;
  readonly k: DeltaKind;
  readonly s: number;
  /** Set on skip tokens: the end of the window and the offset of the next page. */
  readonly u?: number;
  readonly o?: number;
  readonly sel?: readonly string[];
}

/** What a window changed of one object: some properties, or the whole object. */
type ChangedProperties = Set<string> | 'whole';

interface WindowEntry {
  properties?: ChangedProperties;
  readonly members: Set<string>;
}

interface Window {
  readonly ids: readonly string[];
  readonly entries: ReadonlyMap<string, WindowEntry>;
}

export interface DeltaFeedOptions {
  readonly pageSize: number;
  /** Start every round with an empty page that still has a next link, as Graph sometimes does. */
  readonly emptyFirstPage: boolean;
  readonly graphBaseUrl: () => string;
  /** Draws which unchanged properties an item without `return=minimal` carries too. */
  readonly random: () => number;
}

export class DeltaFeed {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly directory: GraphDirectory,
    private readonly options: DeltaFeedOptions,
  ) {}

  handle(kind: DeltaKind, request: EmulatedRequest): EmulatedResponse {
    const params = request.url.searchParams;
    const deltaToken = params.get('$deltatoken') ?? params.get('$deltaToken');
    const skipToken = params.get('$skiptoken') ?? params.get('$skipToken');
    const generation = this.directory.generation;
    const sequence = this.directory.sequence;
    if (deltaToken === 'latest') {
      const select = parseSelect(request.url);
      return this.#page(kind, [], {
        g: generation,
        k: kind,
        s: sequence,
        ...(select ? { sel: select } : {}),
      });
    }
    const text = deltaToken ?? skipToken;
    let position: Required<Pick<DeltaToken, 'u' | 'o'>> & DeltaToken;
    if (text === null) {
      const select = parseSelect(request.url);
      position = { g: generation, k: kind, s: 0, u: sequence, o: 0, ...(select ? { sel: select } : {}) };
    } else {
      const token = decodeToken(text);
      if (token === undefined || token.k !== kind) {
        return graphError(400, 'BadRequest', `The delta or skip token for ${kind} is not valid.`);
      }
      if (token.g !== generation) return this.#expired(kind);
      position =
        deltaToken !== null
          ? { ...token, u: sequence, o: 0 }
          : { ...token, u: token.u ?? 0, o: token.o ?? 0 };
    }
    const roundStart = skipToken === null;
    if (roundStart && this.options.emptyFirstPage) return this.#page(kind, [], position);
    const window = this.#window(kind, position.s, position.u);
    const end = position.o + this.options.pageSize;
    const minimal = prefersMinimal(request.headers.prefer);
    const items = window.ids
      .slice(position.o, end)
      .map((id) =>
        kind === 'users'
          ? this.#userItem(id, window, position, minimal)
          : this.#groupItem(id, window, position, minimal),
      )
      .filter((item) => item !== undefined);
    const next = end < window.ids.length ? { ...position, o: end } : undefined;
    const done: DeltaToken = {
      g: position.g,
      k: kind,
      s: position.u,
      ...(position.sel ? { sel: position.sel } : {}),
    };
    return this.#page(kind, items, next ?? done);
  }

  #page(kind: DeltaKind, items: readonly unknown[], token: DeltaToken): EmulatedResponse {
    const link = `${this.options.graphBaseUrl()}/${kind}/delta`;
    const encoded = Buffer.from(JSON.stringify(token)).toString('base64url');
    const isSkip = token.u !== undefined;
    return {
      status: 200,
      body: {
        '@odata.context': `${this.options.graphBaseUrl()}/$metadata#${kind}`,
        ...(isSkip ? { '@odata.nextLink': `${link}?$skiptoken=${encoded}` } : {}),
        ...(isSkip ? {} : { '@odata.deltaLink': `${link}?$deltatoken=${encoded}` }),
        value: items,
      },
    };
  }

  #expired(kind: DeltaKind): EmulatedResponse {
    if (this.directory.expiry === 'gone') {
      return graphError(
        410,
        'resyncRequired',
        'Resync required. Replace any local cached resources with the ones returned.',
        {
          location: `${this.options.graphBaseUrl()}/${kind}/delta`,
        },
      );
    }
    return graphError(
      400,
      'syncStateNotFound',
      'The sync state generation is not found. Please restart the sync (full sync).',
    );
  }

  #userItem(
    id: string,
    window: Window,
    position: DeltaToken,
    minimal: boolean,
  ): Record<string, unknown> | undefined {
    const user = this.directory.userIncludingDeleted(id);
    if (!user || user.softDeleted) {
      return position.s === 0 ? undefined : { id, '@removed': { reason: user ? 'changed' : 'deleted' } };
    }
    const whole = renderUser(this.directory, id, position.sel);
    const changed = position.s === 0 ? 'whole' : window.entries.get(id)?.properties;
    return this.#changedPart(whole, changed, minimal);
  }

  #groupItem(
    id: string,
    window: Window,
    position: DeltaToken,
    minimal: boolean,
  ): Record<string, unknown> | undefined {
    const group = this.directory.group(id);
    if (!group) return position.s === 0 ? undefined : { id, '@removed': { reason: 'deleted' } };
    const initial = position.s === 0;
    const entry = window.entries.get(id);
    const select = position.sel?.filter((name) => name !== 'members');
    const withMembers = position.sel === undefined || position.sel.includes('members');
    const whole = renderGroup(this.directory, id, select);
    const item = this.#changedPart(whole, initial ? 'whole' : entry?.properties, minimal) ?? { id };
    const memberIds = initial ? [...group.members].sort() : [...(entry?.members ?? [])].sort();
    if (withMembers && memberIds.length > 0) {
      item['members@delta'] = memberIds.map((memberId) => {
        const kind = this.directory.kindEverSeen(memberId) ?? 'user';
        const reference = { '@odata.type': ODATA_TYPE[kind], id: memberId };
        return group.members.has(memberId) ? reference : { ...reference, '@removed': { reason: 'deleted' } };
      });
    }
    return item;
  }

  /**
   * The item for an object whose selected properties are `whole`: all of them but the null ones for
   * an object new to the window, else the changed ones (undefined when none of them is selected).
   */
  #changedPart(
    whole: Record<string, unknown>,
    changed: ChangedProperties | undefined,
    minimal: boolean,
  ): Record<string, unknown> | undefined {
    if (changed === 'whole') return withoutNulls(whole);
    const names = Object.keys(whole).filter((name) => name !== 'id');
    if (!names.some((name) => changed?.has(name))) return undefined;
    const item: Record<string, unknown> = { id: whole.id };
    for (const name of names) {
      const value = whole[name];
      if (changed?.has(name)) {
        if (minimal || value !== null) item[name] = value;
      } else if (!minimal && value !== null && this.options.random() < 0.5) item[name] = value;
    }
    return item;
  }

  /** The objects touched in (since, upTo], computed once per window: the log below upTo never changes. */
  #window(kind: DeltaKind, since: number, upTo: number): Window {
    const key = `${kind}:${since}:${upTo}`;
    const cached = this.#windows.get(key);
    if (cached) return cached;
    const entries = new Map<string, WindowEntry>();
    const entryFor = (id: string): WindowEntry => {
      let found = entries.get(id);
      if (!found) {
        found = { members: new Set() };
        entries.set(id, found);
      }
      return found;
    };
    const wanted = kind === 'users' ? 'user' : 'group';
    for (const change of this.directory.changesBetween(since, upTo)) {
      if (change.kind === 'member') {
        if (kind === 'groups') entryFor(change.groupId).members.add(change.memberId);
        continue;
      }
      if (change.kind !== wanted) continue;
      const entry = entryFor(change.id);
      if (change.properties === undefined || entry.properties === 'whole') entry.properties = 'whole';
      else entry.properties = new Set([...(entry.properties ?? []), ...change.properties]);
    }
    const window: Window = { ids: [...entries.keys()].sort(), entries };
    if (this.#windows.size > 32) this.#windows.clear();
    this.#windows.set(key, window);
    return window;
  }
}

/** `Prefer` may list several preferences: `return=minimal, odata.maxpagesize=100`. */
function prefersMinimal(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header : [header ?? ''];
  return values.some((value) =>
    value.split(',').some((preference) => preference.trim().toLowerCase() === 'return=minimal'),
  );
}

function decodeToken(text: string): DeltaToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as DeltaToken;
    return typeof token.g === 'number' && typeof token.s === 'number' ? token : undefined;
  } catch {
    return undefined;
  }
}
