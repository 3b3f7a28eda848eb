import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LiveRunStreams } from '../../src/api/console/liveRun.js';
import type { RunRecord } from '../../src/model/run.js';
import { silentLogger } from '../../src/observability/logger.js';

/** Short timings, so that a test sees heartbeats and the cap in a fraction of a second. */
const TIMINGS = { pollMs: 10, heartbeatMs: 60, maxStreamMs: 300, reconnectMs: 1500 };

function movingRun(succeeded: number): RunRecord {
  return {
    id: 'run-1',
    tenant: 'alpha',
    requestedMode: 'full',
    mode: 'full',
    dryRun: false,
    trigger: 'schedule',
    status: 'applying',
    phase: 'users',
    createdAt: new Date(Date.now() - 10_000).toISOString(),
    startedAt: new Date(Date.now() - 10_000).toISOString(),
    counts: { createUser: { planned: 10, succeeded, failed: 0 } },
    apiCalls: { source: 0, target: 0 },
    throttled: { source: 0, target: 0 },
    failures: [],
    failureCount: 0,
  };
}

async function textOf(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

function progressEvents(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: progress'))
    .map((block) => JSON.parse(block.split('data: ')[1]!) as Record<string, unknown>);
}

/** The run page's live stream, over a run record that changes as the test says. */
describe('a live run stream', () => {
  it('sends progress only when the run moved, heartbeats in between, and ends at its cap', async () => {
    let succeeded = 0;
    const streams = new LiveRunStreams(silentLogger(), TIMINGS);
    const started = Date.now();
    const stream = streams.follow(async () => movingRun(succeeded));
    const text = textOf(stream);
    await sleep(100);
    succeeded = 4;
    const sent = await text;
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMINGS.maxStreamMs);
    expect(sent).toMatch(/^retry: 1500\n\n/);
    expect(progressEvents(sent).map((event) => event.done)).toEqual([0, 4]);
    expect(progressEvents(sent)[1]).toMatchObject({ total: 10, status: 'applying', settled: false });
    expect(sent).toContain(': still following\n\n');
  });

  it('stops reading the run as soon as the browser leaves', async () => {
    let reads = 0;
    const streams = new LiveRunStreams(silentLogger(), { ...TIMINGS, maxStreamMs: 60_000 });
    const stream = streams.follow(async () => {
      reads++;
      return movingRun(0);
    });
    stream.resume();
    await sleep(50);
    expect(reads).toBeGreaterThan(1);
    stream.destroy();
    await sleep(20);
    const afterLeaving = reads;
    await sleep(100);
    expect(reads).toBe(afterLeaving);
  });

  it('ends every stream when the API closes, and a settled run ends its own', async () => {
    const streams = new LiveRunStreams(silentLogger(), { ...TIMINGS, maxStreamMs: 60_000 });
    const moving = textOf(streams.follow(async () => movingRun(1)));
    const settled = await textOf(
      streams.follow(async () => ({ ...movingRun(10), status: 'succeeded', phase: 'done' })),
    );
    expect(progressEvents(settled)).toEqual([expect.objectContaining({ settled: true, done: 10 })]);
    await sleep(30);
    streams.closeAll();
    expect(progressEvents(await moving)).toHaveLength(1);
  });
});
