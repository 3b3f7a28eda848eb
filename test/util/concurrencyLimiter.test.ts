import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../src/util/concurrencyLimiter.js';

/** A task that stays running until released, recording when it started. */
function gate(started: string[], name: string) {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  it('runs at most `limit` tasks across callers, starting waiters in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const started: string[] = [];
    const gates = ['a1', 'a2', 'a3', 'b1', 'b2'].map((name) => gate(started, name));
    const results = gates.map((each) => limiter.run(each.task));
    await settle();
    expect(started).toEqual(['a1', 'a2']);
    gates[1]!.release();
    await settle();
    expect(started).toEqual(['a1', 'a2', 'a3']);
    gates[0]!.release();
    await settle();
    expect(started).toEqual(['a1', 'a2', 'a3', 'b1']);
    for (const each of gates) each.release();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('frees the slot of a task that failed', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });
});
