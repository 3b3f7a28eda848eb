import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { CLIENT_ID, CLIENT_SECRET, SCIM_TOKEN, TENANT_ID } from './emulatorHost.js';
import type { EmulatorAddresses } from './emulatorProtocol.js';

/**
 * The I/O floor of an initial sync: a bare script that makes only the page reads of the real
 * read (users, groups, members of 20 groups to a `$batch` request) and the writes of the real plan (POST each enabled
 * user, POST each group with its flattened members), at the same concurrency, with no queue, no
 * engine, no records. Whatever the real sync takes beyond this is the cost of dirsync itself.
 */
export interface FloorOptions {
  /** Requests in flight to the platform, as `target.concurrency`. */
  readonly concurrency: number;
  /** `$batch` requests of member lists in flight, as the Graph connector sends them. */
  readonly memberBatchConcurrency: number;
  /** Member requests in one `$batch`. */
  readonly memberBatchSize: number;
}

type Json = Record<string, unknown>;

const USER_SELECT =
  'id,accountEnabled,userPrincipalName,givenName,surname,displayName,mail,jobTitle,department,employeeId';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER_TYPE = '#microsoft.graph.user';

function send(agent: Agent, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<Json>((resolveBody, reject) => {
    const outgoing = request(url, { method, agent, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = incoming.statusCode ?? 0;
        if (status < 200 || status >= 300) reject(new Error(`${method} ${url}: ${status} ${text}`));
        else resolveBody(text === '' ? {} : (JSON.parse(text) as Json));
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export async function runFloorSync(
  emulators: EmulatorAddresses,
  options: FloorOptions,
): Promise<{ readonly users: number; readonly groups: number; readonly readMs: number }> {
  // The user list is read alongside the member batches.
  const graphAgent = new Agent({ keepAlive: true, maxSockets: options.memberBatchConcurrency + 1 });
  const scimAgent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const started = performance.now();
  try {
    const token = await send(
      graphAgent,
      'POST',
      `${emulators.authorityHost}/${TENANT_ID}/oauth2/v2.0/token`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    );
    const graphHeaders = { authorization: `Bearer ${String(token.access_token)}` };
    const listAll = async (url: string): Promise<Json[]> => {
      const items: Json[] = [];
      for (let link: string | undefined = url; link !== undefined; ) {
        const page = await send(graphAgent, 'GET', link, graphHeaders);
        items.push(...((page.value ?? []) as Json[]));
        link = page['@odata.nextLink'] as string | undefined;
      }
      return items;
    };
    const base = emulators.graphBaseUrl;
    const [users, membersByGroup] = await Promise.all([
      listAll(`${base}/users?$select=${USER_SELECT}&$top=999`),
      listAll(`${base}/groups?$select=id,displayName&$top=999`).then(async (groups) => {
        const batches: Json[][] = [];
        for (let start = 0; start < groups.length; start += options.memberBatchSize) {
          batches.push(groups.slice(start, start + options.memberBatchSize));
        }
        const lists = await mapWithConcurrency(batches, options.memberBatchConcurrency, async (batch) => {
          const requests = batch.map((group, index) => ({
            id: String(index),
            method: 'GET',
            url: `/groups/${String(group.id)}/members?$select=id,displayName&$top=999`,
          }));
          const answer = await send(
            graphAgent,
            'POST',
            `${base}/$batch`,
            { ...graphHeaders, 'content-type': 'application/json' },
            JSON.stringify({ requests }),
          );
          const responses = answer.responses as { id: string; status: number; body: Json }[];
          const failed = responses.find((response) => response.status !== 200);
          if (failed)
            throw new Error(`a member list in $batch: ${failed.status} ${JSON.stringify(failed.body)}`);
          const bodies = new Map(responses.map((response) => [response.id, response.body]));
          return Promise.all(
            batch.map(async (group, index) => {
              const page = bodies.get(String(index)) ?? {};
              const next = page['@odata.nextLink'] as string | undefined;
              const rest = next === undefined ? [] : await listAll(next);
              return [group, [...((page.value ?? []) as Json[]), ...rest]] as const;
            }),
          );
        });
        return new Map(lists.flat());
      }),
    ]);

    const readMs = Math.round(performance.now() - started);
    const scimHeaders = { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' };
    const enabled = users.filter((user) => user.accountEnabled !== false);
    const created = await mapWithConcurrency(enabled, options.concurrency, async (user) => {
      const resource = await send(
        scimAgent,
        'POST',
        `${emulators.scimUrl}/Users`,
        scimHeaders,
        userBody(user),
      );
      return [String(user.id), String(resource.id)] as const;
    });
    const platformIdOf = new Map(created);

    const membersById = new Map([...membersByGroup].map(([group, members]) => [String(group.id), members]));
    const flattened = (groupId: string, seen = new Set<string>([groupId])): string[] =>
      (membersById.get(groupId) ?? []).flatMap((member) => {
        const id = String(member.id);
        if (member['@odata.type'] === USER_TYPE) return [id];
        if (seen.has(id)) return [];
        seen.add(id);
        return flattened(id, seen);
      });
    await mapWithConcurrency([...membersByGroup.keys()], options.concurrency, (group) => {
      const members = [...new Set(flattened(String(group.id)))].flatMap((id) => {
        const platformId = platformIdOf.get(id);
        return platformId === undefined ? [] : [{ value: platformId }];
      });
      const body = JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        externalId: group.id,
        displayName: group.displayName,
        members,
      });
      return send(scimAgent, 'POST', `${emulators.scimUrl}/Groups`, scimHeaders, body);
    });
    return { users: created.length, groups: membersByGroup.size, readMs };
  } finally {
    graphAgent.destroy();
    scimAgent.destroy();
  }
}

function userBody(user: Json): string {
  const text = (name: string) => (typeof user[name] === 'string' ? (user[name] as string) : undefined);
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: user.id,
    userName: text('userPrincipalName'),
    active: true,
    displayName: text('displayName'),
    name: { givenName: text('givenName'), familyName: text('surname') },
    ...(text('mail') ? { emails: [{ type: 'work', value: text('mail'), primary: true }] } : {}),
    title: text('jobTitle'),
    [ENTERPRISE]: { department: text('department'), employeeNumber: text('employeeId') },
  });
}
