import { expect, test } from 'vitest';
import { PlatformError } from '../../src/model/platform.js';
import { type Page, readAllPages } from '../../src/platform/paging.js';

const items = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `r${from + i}`);
const options = { pageSize: 50, concurrency: 3, idOf: (item: string) => item, what: 'GET /Users' };

test('follows on where a page came back shorter than the first one', async () => {
  const asked: [number, number][] = [];
  const result = await readAllPages(async (start, count): Promise<Page<string>> => {
    asked.push([start, count]);
    const size = start === 11 ? 4 : 10; // one page is short: the range must continue after it
    return { totalResults: 35, resources: items(start, Math.min(35, start + Math.min(size, count) - 1)) };
  }, options);
  expect(result).toEqual(items(1, 35));
  expect(asked).toContainEqual([15, 6]);
});

test('an empty page before the announced total fails the read instead of truncating it', async () => {
  const read = readAllPages(
    async (start): Promise<Page<string>> => ({
      totalResults: 30,
      resources: start > 10 ? [] : items(start, start + 9),
    }),
    options,
  );
  await expect(read).rejects.toBeInstanceOf(PlatformError);
  await expect(read).rejects.toThrow(/incomplete/);
});

test('keeps at most `concurrency` pages in flight and drops repeats at page boundaries', async () => {
  let inFlight = 0;
  let most = 0;
  const result = await readAllPages(async (start): Promise<Page<string>> => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((wake) => setTimeout(wake, 5));
    inFlight--;
    // an insert shifted everything after the first page by one: r10 is seen twice
    const from = start === 1 ? 1 : start - 1;
    return { totalResults: 100, resources: items(from, Math.min(100, from + 9)) };
  }, options);
  expect(most).toBe(3);
  expect(new Set(result).size).toBe(result.length);
});
