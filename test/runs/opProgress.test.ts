import { describe, expect, it } from 'vitest';
import { OpProgress } from '../../src/runs/opProgress.js';

describe('OpProgress', () => {
  it('wakes every run waiting on a tenant as soon as a batch of it is recorded, and no other', async () => {
    const progress = new OpProgress();
    const woken: string[] = [];
    const started = performance.now();
    const waits = [
      progress.next('acme', 5_000).then(() => woken.push('acme 1')),
      progress.next('acme', 5_000).then(() => woken.push('acme 2')),
      progress.next('globex', 200).then(() => woken.push('globex')),
    ];
    progress.recorded('acme');
    await Promise.all(waits.slice(0, 2));
    expect(woken.sort()).toEqual(['acme 1', 'acme 2']);
    expect(performance.now() - started).toBeLessThan(1_000);
    await waits[2];
    expect(woken).toContain('globex');
  });

  it('gives up waiting after the timeout, when the batches are recorded by another process', async () => {
    const progress = new OpProgress();
    const started = performance.now();
    await progress.next('acme', 50);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('does not remember a recording nobody waited for: the next wait lasts until its own timeout or the next recording', async () => {
    const progress = new OpProgress();
    await progress.next('acme', 10);
    progress.recorded('acme');

    let started = performance.now();
    await progress.next('acme', 50);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);

    const wait = progress.next('acme', 5_000);
    started = performance.now();
    progress.recorded('acme');
    await wait;
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
