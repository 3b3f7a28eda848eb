import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateGraphDirectory } from '../emulators/graph/generator.js';
import { platformView, writesIn } from '../support/scimState.js';
import {
  type FileDirectory,
  type FileTenant,
  population,
  startFileTenant,
  startGraphTenant,
  type Tenant,
} from './support.js';

/** Limits no guard would trip on: only the failed read itself may keep the platform safe. */
const UNGUARDED = '{ maxDeactivations: 100000, maxDeactivationRatio: 1, minSourceRatio: 0 }';

const staff = population('staff', 12);
const directory: FileDirectory = {
  users: staff,
  groups: [{ id: 'g-staff', displayName: 'Staff', members: staff.map((user) => user.id) }],
};
const exported = JSON.stringify(directory, null, 2);

/** Runs once and checks the run failed with `reason` while the platform saw no write at all. */
async function expectFailedWithoutWrites(tenant: Tenant, reason: RegExp): Promise<void> {
  const before = platformView(tenant.scim);
  tenant.scim.server.resetCalls();
  const run = await tenant.harness.run('full');
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(reason);
  expect(run.failures).toContainEqual(expect.objectContaining({ objectType: 'run' }));
  expect(writesIn(tenant.scim.server.calls)).toBe(0);
  expect(platformView(tenant.scim)).toEqual(before);
}

describe('a source read that fails or is cut short deprovisions nothing and fails the run', () => {
  let tenant: FileTenant;
  beforeAll(async () => {
    tenant = await startFileTenant({ safety: UNGUARDED });
    tenant.write(directory);
    expect(await tenant.harness.run('full')).toMatchObject({ status: 'succeeded' });
  });
  afterAll(() => tenant?.close());

  const brokenExports: readonly (readonly [string, string, RegExp])[] = [
    ['an export truncated half-way', exported.slice(0, exported.length / 2), /not valid JSON/],
    ['an export cut just before its last brace', exported.slice(0, -1), /not valid JSON/],
    ['an empty file', '', /not valid JSON/],
    ['NUL bytes where the export should be', '\u0000\u0000\u0000', /not valid JSON/],
    ['an HTML error page saved as the export', '<html><body>502 Bad Gateway</body></html>', /not valid JSON/],
    ['the JSON literal null', 'null', /\(root\)/],
    ['a bare list instead of the export object', '[]', /\(root\)/],
    ['an export without a users list', '{"groups": []}', /users/],
    ['users given as an object', '{"users": {"0": {"id": "staff-0", "userName": "a@b"}}}', /users/],
    [
      'a user without an id',
      JSON.stringify({ users: [...staff, { userName: 'anonymous@example.com' }] }),
      /users\.12\.id/,
    ],
    ['a user id listed twice', JSON.stringify({ users: [...staff, staff[0]] }), /appears twice/],
    [
      'a group without a displayName',
      JSON.stringify({ users: staff, groups: [{ id: 'g-nameless', members: [] }] }),
      /groups\.0\.displayName/,
    ],
  ];

  test.each(brokenExports)('%s', async (_name, text, reason) => {
    tenant.writeText(text);
    await expectFailedWithoutWrites(tenant, reason);
  });

  test('an export file that is gone', async () => {
    rmSync(tenant.directoryFile);
    await expectFailedWithoutWrites(tenant, /ENOENT|no such file/);
  });

  test('a CSV export with a row cut short, or without its userName column', async () => {
    const csv = await startFileTenant({ safety: UNGUARDED, format: 'csv' });
    try {
      csv.writeText('id,userName,groups\nu1,ada@example.com,Staff\nu2,grace@example.com,Staff\n');
      expect(await csv.harness.run('full')).toMatchObject({ status: 'succeeded' });
      csv.writeText('id,userName,groups\nu1,ada@example.com,Staff\nu2,grace@exam');
      await expectFailedWithoutWrites(csv, /line 3: 2 cells, the header has 3/);
      csv.writeText('id,groups\nu1,Staff\n');
      await expectFailedWithoutWrites(csv, /no "userName" column/);
    } finally {
      await csv.close();
    }
  });
});

describe('a Graph read whose page fails for good half-way', () => {
  test('fails the run after the retries, with no write to the platform', async () => {
    // Each request to the emulator draws once; from `failFrom` on every draw is a 503.
    let draws = 0;
    let failFrom = Number.POSITIVE_INFINITY;
    const graph = await startGraphTenant(
      {
        directory: generateGraphDirectory({ users: 60, groups: 12, nestedDepth: 1, seed: 3 }),
        random: () => (++draws > failFrom ? 0 : 0.99),
      },
      { safety: UNGUARDED },
    );
    try {
      expect(await graph.harness.run('full')).toMatchObject({ status: 'succeeded', failureCount: 0 });
      expect(graph.scim.store.users().length).toBeGreaterThan(40);
      graph.graph.server.setFaults({ rate503: 0.5, retryAfterSeconds: 0 });
      graph.graph.server.resetCalls();
      // The sign-in and the first lists answer; the member pages never do.
      failFrom = draws + 6;

      await expectFailedWithoutWrites(graph, /503|unavailable/i);
      // The user list came whole; the group member pages (read in batches) did not: no absence may
      // be read from that.
      const calls = graph.graph.server.calls;
      expect(calls).toContainEqual({ method: 'GET', path: '/v1.0/users', status: 200 });
      expect(calls.filter((call) => call.path === '/v1.0/$batch').map((call) => call.status)).toContain(503);
    } finally {
      await graph.close();
    }
  });
});
