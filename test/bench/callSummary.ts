import type { CallRecord } from '../emulators/https/httpsServer.js';

/** Object ids (GUIDs, generated ids) stand out from the fixed path words by length and digits. */
const looksLikeId = (segment: string) => segment.length >= 8 && /\d/.test(segment);

/** Calls counted by method and path shape (`PATCH /scim/v2/Users/:id`), to say what calls were made. */
export function callsByKind(calls: readonly CallRecord[]): Record<string, number> {
  return countBy(
    calls.map((call) => {
      const shape = call.path
        .split('/')
        .map((segment) => (looksLikeId(segment) ? ':id' : segment))
        .join('/');
      return `${call.method} ${shape}`;
    }),
  );
}

export function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

export function writeCount(calls: readonly CallRecord[]): number {
  return calls.filter((call) => call.method !== 'GET').length;
}
