import { describe, expect, it } from 'vitest';
import { idleTimeoutMs } from '../../src/http/keepAliveHint.js';

describe("the server's Keep-Alive hint", () => {
  it('shortens the idle time to the server timeout less a margin, never lengthens it', () => {
    expect(idleTimeoutMs(undefined, 4_000)).toBe(4_000);
    expect(idleTimeoutMs('max=100', 4_000)).toBe(4_000);
    expect(idleTimeoutMs('timeout=60, max=1000', 4_000)).toBe(4_000);
    expect(idleTimeoutMs('timeout=5', 4_000)).toBe(4_000);
    expect(idleTimeoutMs('timeout=3, max=100', 4_000)).toBe(2_000);
    expect(idleTimeoutMs('Timeout = 1', 4_000)).toBe(500);
  });

  it('keeps no connection a server would close at once', () => {
    expect(idleTimeoutMs('timeout=0', 4_000)).toBe(0);
  });
});
