import { describe, expect, it } from 'vitest';
import { accountSlots, percentile, slotsIn } from './slotAccounting.js';

const START = Date.parse('2026-01-01T10:00:00Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(START + ms).toISOString();

describe('the fleet bench slot accounting', () => {
  it('puts a staggered five-minute pattern in the window once per cycle, at its own second', () => {
    expect(
      slotsIn('17 3/5 * * * *', START, START + 15 * MINUTE).map((slot) => new Date(slot).toISOString()),
    ).toEqual(['2026-01-01T10:03:17.000Z', '2026-01-01T10:08:17.000Z', '2026-01-01T10:13:17.000Z']);
  });

  it('counts a slot without a run as missed, one with two runs as doubled, and the lag of each run', () => {
    const slot = 3 * MINUTE + 17_000;
    const account = accountSlots(
      [
        {
          id: 'a',
          pattern: '17 3/5 * * * *',
          runs: [
            { createdAt: at(slot + 40), startedAt: at(slot + 900) },
            { createdAt: at(slot + 5 * MINUTE + 10) },
            { createdAt: at(slot + 5 * MINUTE + 2000), startedAt: at(slot + 5 * MINUTE + 2500) },
            // Before the window: not a slot of it.
            { createdAt: at(-MINUTE) },
          ],
        },
      ],
      START,
      START + 15 * MINUTE,
    );
    expect(account.expected).toBe(3);
    expect(account.executed).toBe(2);
    expect(account.missed).toEqual([{ tenant: 'a', slot: '2026-01-01T10:13:17.000Z' }]);
    expect(account.doubled).toEqual([{ tenant: 'a', slot: '2026-01-01T10:08:17.000Z', runs: 2 }]);
    expect(account.createdLagMs).toEqual([40, 10, 2000]);
    expect(account.startedLagMs).toEqual([900, 2500]);
  });

  it('a run a whole cycle late is a miss of its slot and a double of the next', () => {
    const account = accountSlots(
      [
        {
          id: 'b',
          pattern: '0 0/5 * * * *',
          runs: [{ createdAt: at(5 * MINUTE + 1) }, { createdAt: at(5 * MINUTE + 2) }],
        },
      ],
      START,
      START + 10 * MINUTE,
    );
    expect(account.missed).toHaveLength(1);
    expect(account.doubled).toHaveLength(1);
  });

  it('reads percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_unused, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });
});
