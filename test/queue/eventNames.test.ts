import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PipelineHarness, startPipelineHarness } from '../support/pipelineHarness.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const TOKEN = 'scim-token-event-names-91d0';

/**
 * What the op worker writes in the provisioning log names each object the way support staff look
 * for it: a user by userName and work email, a group by its name.
 */
let platform: TestPlatform;
let harness: PipelineHarness;

beforeAll(async () => {
  platform = await startTestPlatform('emulator', { token: TOKEN });
  const directoryFile = join(mkdtempSync(join(tmpdir(), 'dirsync-event-names-')), 'directory.json');
  const users = [
    { id: 'u-1', userName: 'mwong@contoso.com', email: 'mei.wong@contoso.com' },
    { id: 'u-2', userName: 'nomail@contoso.com' },
  ];
  writeFileSync(
    directoryFile,
    JSON.stringify({ users, groups: [{ id: 'g-1', displayName: 'Support', members: ['u-1'] }] }),
  );
  harness = await startPipelineHarness(
    [
      `source: { type: file, path: "${directoryFile}" }`,
      `target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
    ].join('\n'),
    { SCIM_TOKEN: TOKEN },
  );
});
afterAll(async () => {
  await harness?.close();
  await platform?.close();
});

it("logs a user's userName and work email, a group's name, and the log finds each by part of it", async () => {
  const run = await harness.run('full');
  expect(run.status).toBe('succeeded');
  const tenant = harness.tenant.id;
  const { events } = await harness.stores.events.read(tenant, { subject: 'MEI.WONG' });
  expect(events).toEqual([
    expect.objectContaining({
      externalId: 'u-1',
      subject: 'mwong@contoso.com',
      email: 'mei.wong@contoso.com',
      op: 'createUser',
      outcome: 'success',
    }),
  ]);
  const [withoutMail] = (await harness.stores.events.read(tenant, { subject: 'nomail' })).events;
  expect(withoutMail).toMatchObject({ subject: 'nomail@contoso.com' });
  expect(withoutMail).not.toHaveProperty('email');
  const [group] = (await harness.stores.events.read(tenant, { subject: 'support' })).events;
  expect(group).toMatchObject({ objectType: 'group', subject: 'Support', op: 'createGroup' });
});
