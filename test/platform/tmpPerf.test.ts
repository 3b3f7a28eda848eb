import { expect, test } from 'vitest';
import { clientFor, startTestEmulator } from './support.js';

test('perf', async () => {
  const emulator = await startTestEmulator({ pageCap: 100 });
  let t = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < 100_000; i++)
    ids.push(String(emulator.store.seedUser({ userName: `u${i}@x.com`, externalId: `e${i}` }).id));
  console.log('seed', Date.now() - t);
  const client = clientFor(emulator, { concurrency: 8 });
  try {
    t = Date.now();
    const g = emulator.store.seedGroup({
      displayName: 'big',
      members: ids.slice(0, 50000).map((value) => ({ value })),
    });
    console.log('seedGroup', Date.now() - t);
    await client.addMembers(String(g.id), ids.slice(50000, 51000));
    console.log('members', Date.now() - t);
    t = Date.now();
    for (let i = 0; i < 500; i++) await client.deleteUser(ids[i]!);
    console.log('delete 500', Date.now() - t);
    t = Date.now();
    await client.createUser({ externalId: 'z', active: true, attributes: { userName: 'zz' } });
    console.log('create after deletes', Date.now() - t);
  } catch (e) {
    console.log('ERR', e);
  }
  client.close();
  await emulator.close();
}, 300_000);
