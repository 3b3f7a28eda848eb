import type { CallRecord, FaultSettings } from '../emulators/https/httpsServer.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from './devCertificates.js';
import { OBSERVER_HEADER, startScimmyPlatform } from './scimmyPlatform.js';

/**
 * The SCIM platforms the end-to-end suites run against: the project's own emulator, and a server
 * on the `scimmy` library that nobody here wrote. A suite reads the platform's state through SCIM,
 * so the same assertion holds on both.
 */
export type PlatformKind = 'emulator' | 'scimmy';
export const PLATFORM_KINDS: readonly PlatformKind[] = ['emulator', 'scimmy'];

type Json = Record<string, unknown>;

/** The page caps each server has when a suite names none. */
const EMULATOR_PAGE_CAP = 100;
const SCIMMY_PAGE_CAP = 200;

export interface TestPlatform {
  readonly kind: PlatformKind;
  /** The SCIM base URL a tenant's `target.url` names. */
  readonly url: string;
  /** The most resources one of its list pages holds. */
  readonly pageCap: number;
  /**
   * Whether its filters answer comparisons on a multi-valued attribute (`emails.value eq "…"`).
   * scimmy 1.3 answers them `400 invalidValue` as soon as one stored resource lacks the attribute,
   * so dirsync settles such a lookup with one scan of the users instead.
   */
  readonly filtersMultiValuedAttributes: boolean;
  /**
   * Whether its filters take a JSON-escaped value (`userName eq "o\"brien"`); scimmy 1.3 answers
   * `400 invalidFilter`, so dirsync finds such a name by a scan instead.
   */
  readonly decodesEscapedFilterValues: boolean;
  /** dirsync's requests since the last reset; the test's own reads of the platform are left out. */
  readonly calls: readonly CallRecord[];
  resetCalls(): void;
  setFaults(faults: FaultSettings): void;
  /** Every stored user and group, read through the SCIM API, as the server returns them. */
  resources(): Promise<{ users: Json[]; groups: Json[] }>;
  /** Creates a user through the SCIM API, as an admin of the platform would; answers the stored user. */
  seedUser(resource: Json): Promise<Json>;
  /** The project's emulator behind this platform, for tests that reach into its store. */
  readonly emulator: ScimEmulator | undefined;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  readonly token: string;
  /** The most resources one list page returns. */
  readonly pageCap?: number;
  readonly random?: () => number;
}

export function testTlsDirectory(): string {
  const directory = process.env.DIRSYNC_TEST_TLS_DIR;
  if (!directory) throw new Error('DIRSYNC_TEST_TLS_DIR is not set: run the tests through vitest');
  return directory;
}

export async function startTestPlatform(
  kind: PlatformKind,
  options: TestPlatformOptions,
): Promise<TestPlatform> {
  const certificates = ensureDevCertificates(testTlsDirectory());
  const pageCap = options.pageCap ?? (kind === 'scimmy' ? SCIMMY_PAGE_CAP : EMULATOR_PAGE_CAP);
  const settings = {
    certificates,
    token: options.token,
    pageCap,
    ...(options.random !== undefined && { random: options.random }),
  };
  if (kind === 'scimmy') {
    const scimmy = await startScimmyPlatform(settings);
    return {
      kind,
      url: scimmy.url,
      pageCap,
      filtersMultiValuedAttributes: false,
      decodesEscapedFilterValues: false,
      get calls() {
        return scimmy.calls;
      },
      resetCalls: scimmy.resetCalls,
      setFaults: scimmy.setFaults,
      resources: () => readAll(scimmy.url, options.token),
      seedUser: (resource) => createUser(scimmy.url, options.token, resource),
      emulator: undefined,
      close: scimmy.close,
    };
  }
  const emulator = await startScimEmulator(settings);
  let faults: FaultSettings = {};
  // The test's own reads neither meet injected faults nor count as dirsync's calls.
  const observed = new ObservedCalls(
    () => emulator.server.calls,
    (quiet) => emulator.server.setFaults(quiet ? {} : faults),
  );
  return {
    kind,
    url: emulator.url,
    pageCap,
    filtersMultiValuedAttributes: true,
    decodesEscapedFilterValues: true,
    get calls() {
      return observed.calls();
    },
    resetCalls: () => {
      emulator.server.resetCalls();
      observed.reset();
    },
    setFaults: (next) => {
      faults = next;
      emulator.server.setFaults(faults);
    },
    resources: () => observed.around(() => readAll(emulator.url, options.token)),
    seedUser: (resource) => observed.around(() => createUser(emulator.url, options.token, resource)),
    emulator,
    close: () => emulator.close(),
  };
}

/**
 * The emulator logs every request and injects faults into any; the test's own reads happen while
 * dirsync is idle, so faults are off meanwhile and the entries they add are known by position.
 */
class ObservedCalls {
  #ranges: [number, number][] = [];
  constructor(
    private readonly log: () => readonly CallRecord[],
    private readonly quiet: (on: boolean) => void,
  ) {}

  async around<T>(read: () => Promise<T>): Promise<T> {
    const start = this.log().length;
    this.quiet(true);
    try {
      return await read();
    } finally {
      this.quiet(false);
      this.#ranges.push([start, this.log().length]);
    }
  }

  calls(): CallRecord[] {
    return this.log().filter((_, index) => !this.#ranges.some(([from, to]) => index >= from && index < to));
  }

  reset(): void {
    this.#ranges = [];
  }
}

async function scimRequest(url: string, token: string, init: RequestInit = {}): Promise<Json> {
  const response = await fetch(url, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/scim+json',
      'content-type': 'application/scim+json',
      [OBSERVER_HEADER]: '1',
    },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Json;
}

/** Pages through a collection by `totalResults`: some servers answer a start past the end with page 1. */
async function listAll(base: string, collection: string, token: string): Promise<Json[]> {
  const resources: Json[] = [];
  for (;;) {
    const page = await scimRequest(
      `${base}/${collection}?startIndex=${resources.length + 1}&count=1000`,
      token,
    );
    const received = (page.Resources ?? []) as Json[];
    resources.push(...received);
    if (received.length === 0 || resources.length >= Number(page.totalResults)) return resources;
  }
}

async function readAll(base: string, token: string): Promise<{ users: Json[]; groups: Json[] }> {
  return { users: await listAll(base, 'Users', token), groups: await listAll(base, 'Groups', token) };
}

function createUser(base: string, token: string, resource: Json): Promise<Json> {
  return scimRequest(`${base}/Users`, token, {
    method: 'POST',
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...resource }),
  });
}
