import { afterAll, describe, expect, it } from 'vitest';
import { GraphHttp, graphPath } from '../../../connectors/graph/client.js';
import { createGraphCredential, graphTokenScope } from '../../../connectors/graph/credential.js';
import { graphConfig, recordingCounter, servedPaths, startTestEmulator } from './support.js';

const emulator = await startTestEmulator();
afterAll(() => emulator.close());
const ids = Array.from(
  { length: 45 },
  (_unused, index) => emulator.directory.addUser({ userPrincipalName: `batch${index}@contoso.example` }).id,
);

function graphHttp(counter = recordingCounter()): GraphHttp {
  const config = graphConfig(emulator);
  return new GraphHttp({
    graphBaseUrl: config.graphBaseUrl,
    credential: createGraphCredential(config, counter),
    scope: graphTokenScope(config),
    counter,
    retryPolicy: { maxAttempts: 3, maxNetworkRetries: 2, baseDelayMs: 10, maxDelayMs: 50 },
  });
}

const userPath = (id: string) => graphPath(`/users/${id}`, { $select: 'id,userPrincipalName' });

describe('GETs through JSON $batch', () => {
  it('sends 20 to a batch and answers each in the order asked, a missing object as undefined', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    emulator.server.resetCalls();
    const answers = await graphHttp().getEach([...ids.slice(0, 30), missing, ...ids.slice(30)].map(userPath));
    expect(answers.map((answer) => answer?.id)).toEqual([...ids.slice(0, 30), undefined, ...ids.slice(30)]);
    expect(servedPaths(emulator).filter((path) => path === '/v1.0/$batch')).toHaveLength(3);
  });

  it('retries only the requests a batch answered 429, and counts the wait', async () => {
    const counter = recordingCounter();
    emulator.throttleBatchItems(3);
    const answers = await graphHttp(counter).getEach(ids.slice(0, 5).map(userPath));
    expect(answers.map((answer) => answer?.id)).toEqual(ids.slice(0, 5));
    expect(counter.throttles).toBe(1);
  });

  it('fails the read, naming the request, when a batched request keeps being throttled', async () => {
    emulator.throttleBatchItems(10);
    await expect(graphHttp().getEach([userPath(ids[0] ?? '')])).rejects.toThrow(
      /Graph GET \/users\/[0-9a-f-]+ \(in \$batch\) failed: 429 TooManyRequests/,
    );
    emulator.throttleBatchItems(0);
  });

  it('fails the read when a batched request is refused', async () => {
    await expect(graphHttp().getEach(['/users?$top=5000'])).rejects.toThrow(/400 Request_UnsupportedQuery/);
  });
});
