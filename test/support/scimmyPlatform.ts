import { randomUUID } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import SCIMMYRouters, { SCIMMY } from 'scimmy-routers';
import type { CallRecord, FaultSettings } from '../emulators/https/httpsServer.js';
import type { DevCertificates } from './devCertificates.js';

/**
 * A SCIM platform as a platform team would build it on the `scimmy` library and its Express
 * routers: scimmy parses, filters, patches and pages; the team writes only an in-memory store
 * behind the ingress/egress/degress handlers, with the rules its product needs (userName unique
 * without regard to case, group members that are existing users) and a bearer token. Nothing here
 * bends scimmy towards dirsync: where scimmy refuses or ignores something, dirsync has to cope.
 */

type Json = Record<string, unknown>;
type Stored<S> = Omit<S, 'schemas' | 'meta'>;
type StoredUser = Stored<SCIMMY.Schemas.User>;
type StoredGroup = Stored<SCIMMY.Schemas.Group>;

/** What one server keeps; scimmy's handlers are global, so each request carries its server's store. */
class Directory {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();
}

const BASE_PATH = '/scim/v2';

/** A request header that keeps a test's own reads of the platform out of the call log. */
export const OBSERVER_HEADER = 'x-test-observer';

/** A plain copy of what scimmy handed in (the store must not keep its schema instances), with meta. */
function stamped<T>(instance: object, id: string, previous: T | undefined): T {
  const now = new Date().toISOString();
  const created = ((previous as Json | undefined)?.meta as Json | undefined)?.created ?? now;
  const plain = JSON.parse(JSON.stringify(instance)) as Json;
  return { ...plain, id, meta: { ...(plain.meta as Json | undefined), created, lastModified: now } } as T;
}

function existing<T>(table: Map<string, T>, id: string | undefined, kind: string): T | undefined {
  if (id === undefined) return undefined;
  const found = table.get(id);
  if (!found) throw new SCIMMY.Types.Error(404, '', `${kind} ${id} not found`);
  return found;
}

function listed<T>(resource: { filter?: { match(values: T[]): T[] } }, table: Map<string, T>): T[] {
  const all = [...table.values()];
  return resource.filter ? resource.filter.match(all) : all;
}

function declareResources(): void {
  const { User, Group } = SCIMMY.Resources;
  User.extend(SCIMMY.Schemas.EnterpriseUser, false)
    .ingress((resource, instance, directory: Directory) => {
      const previous = existing(directory.users, resource.id, 'User');
      const userName = String(instance.userName).toLowerCase();
      for (const [id, user] of directory.users) {
        if (id !== resource.id && String(user.userName).toLowerCase() === userName)
          throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${String(instance.userName)} is taken`);
      }
      const id = resource.id ?? randomUUID();
      const stored = stamped(instance, id, previous);
      directory.users.set(id, stored);
      return stored;
    })
    .egress((resource, directory: Directory) =>
      resource.id ? existing(directory.users, resource.id, 'User')! : listed(resource, directory.users),
    )
    .degress((resource, directory: Directory) => {
      const id = String(resource.id);
      existing(directory.users, id, 'User');
      directory.users.delete(id);
      for (const group of directory.groups.values()) {
        if (group.members) group.members = group.members.filter((member) => member.value !== id);
      }
    });
  Group.ingress((resource, instance, directory: Directory) => {
    const previous = existing(directory.groups, resource.id, 'Group');
    for (const member of instance.members ?? []) {
      if (!directory.users.has(String(member.value)))
        throw new SCIMMY.Types.Error(400, 'invalidValue', `member ${String(member.value)} is not a user`);
    }
    const id = resource.id ?? randomUUID();
    const stored = stamped(instance, id, previous);
    directory.groups.set(id, stored);
    return stored;
  })
    .egress((resource, directory: Directory) =>
      resource.id ? existing(directory.groups, resource.id, 'Group')! : listed(resource, directory.groups),
    )
    .degress((resource, directory: Directory) => {
      const id = String(resource.id);
      existing(directory.groups, id, 'Group');
      directory.groups.delete(id);
    });
  SCIMMY.Resources.declare(User);
  SCIMMY.Resources.declare(Group);
}
declareResources();

export interface ScimmyPlatformOptions {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  readonly token: string;
  /** The most resources one list page returns, whatever `count` asks (advertised as filter.maxResults). */
  readonly pageCap: number;
  readonly random?: () => number;
}

export interface ScimmyPlatform {
  /** The SCIM base URL, e.g. https://localhost:PORT/scim/v2. */
  readonly url: string;
  /** dirsync's requests, in order; reads marked with {@link OBSERVER_HEADER} are left out. */
  readonly calls: readonly CallRecord[];
  resetCalls(): void;
  setFaults(faults: FaultSettings): void;
  close(): Promise<void>;
}

export async function startScimmyPlatform(options: ScimmyPlatformOptions): Promise<ScimmyPlatform> {
  const directory = new Directory();
  const calls: CallRecord[] = [];
  let faults: FaultSettings = {};
  const random = options.random ?? Math.random;
  const { pageCap } = options;
  let origin = '';

  const app = express();
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.header(OBSERVER_HEADER) === undefined) {
      response.on('finish', () =>
        calls.push({
          method: request.method,
          path: request.originalUrl.split('?')[0] ?? '',
          status: response.statusCode,
        }),
      );
    }
    next();
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const injected = request.header(OBSERVER_HEADER) === undefined ? drawFault(faults, random()) : undefined;
    if (!injected) return next();
    response
      .status(injected)
      .set('retry-after', String(faults.retryAfterSeconds ?? 1))
      .json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(injected) });
  });
  // The team's own page size limit: scimmy advertises maxResults but returns whatever `count` asks.
  // A test reading the state it checks takes it in one page: scimmy shapes every stored resource for
  // each page it answers, so paging the test's own reads would only slow the suites.
  app.use((request: Request, _response: Response, next: NextFunction) => {
    const observer = request.header(OBSERVER_HEADER) !== undefined;
    if (!observer && Number(request.query.count) > pageCap) request.query.count = String(pageCap);
    next();
  });
  const routers = new SCIMMYRouters({
    type: 'bearer',
    handler: (request) => {
      if (request.header('authorization') !== `Bearer ${options.token}`) throw new Error('invalid token');
      return 'dirsync';
    },
    context: () => directory,
    baseUri: () => origin,
  });
  SCIMMY.Config.set({ filter: { supported: true, maxResults: pageCap } });
  app.use(BASE_PATH, routers);

  const server = createServer({ cert: options.certificates.certPem, key: options.certificates.keyPem }, app);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${BASE_PATH}`,
    calls,
    resetCalls: () => {
      calls.length = 0;
    },
    setFaults: (next) => {
      faults = next;
    },
    close: () =>
      new Promise((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}

function drawFault(faults: FaultSettings, draw: number): 429 | 503 | undefined {
  if (faults.rate429 && draw < faults.rate429) return 429;
  if (faults.rate503 && draw < (faults.rate429 ?? 0) + faults.rate503) return 503;
  return undefined;
}
