import { describe, expect, it } from 'vitest';
import {
  fatalCauseOf,
  quarantineOf,
  type RunOutcome,
  scheduleAllowed,
} from '../../src/service/quarantine.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

const refused = (hours: number): RunOutcome => ({
  status: 'failed',
  error: 'platform answered 401: invalid bearer token',
  finishedAt: at(hours),
});
const unreachable = (hours: number): RunOutcome => ({
  status: 'failed',
  error: 'connect ECONNREFUSED 127.0.0.1:443',
  finishedAt: at(hours),
});
const succeeded = (hours: number): RunOutcome => ({ status: 'succeeded', finishedAt: at(hours) });

describe('fatalCauseOf', () => {
  it.each([
    ['platform answered 401: Unauthorized', 'credentials'],
    ['Graph GET /users failed: 403 Authorization_RequestDenied: Insufficient privileges', 'credentials'],
    ['AADSTS7000215: Invalid client secret provided', 'credentials'],
    ['getaddrinfo ENOTFOUND scim.example.invalid', 'unreachable'],
    ['self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)', 'unreachable'],
    ["tenant acme is not in this worker's configuration", 'configuration'],
    ["ENOENT: no such file or directory, open '/data/export.json'", 'configuration'],
  ])('%s → %s', (error, cause) => {
    expect(fatalCauseOf(error)).toBe(cause);
  });

  it('does not take a server error or a bad object for a fatal cause', () => {
    expect(fatalCauseOf('platform answered 500: internal error')).toBeUndefined();
    expect(fatalCauseOf('users[3].userName: required')).toBeUndefined();
    expect(fatalCauseOf(undefined)).toBeUndefined();
  });
});

describe('quarantineOf', () => {
  it('quarantines after three runs in a row refused for the same cause, for an hour after the last', () => {
    const state = quarantineOf([refused(2), refused(1), refused(0), succeeded(-1)]);
    expect(state).toEqual({
      quarantined: true,
      cause: 'credentials',
      reason: 'platform answered 401: invalid bearer token',
      consecutiveFailures: 3,
      since: at(0),
      nextAllowedAt: at(3),
    });
  });

  it('backs off longer with each further failure: 1 h, 6 h, then 24 h for good', () => {
    const runs = (count: number) => Array.from({ length: count }, (_, index) => refused(count - index));
    const wait = (count: number) => {
      const state = quarantineOf(runs(count));
      if (!state.quarantined) throw new Error('expected a quarantine');
      return (Date.parse(state.nextAllowedAt) - Date.parse(at(count))) / HOUR;
    };
    expect([wait(3), wait(4), wait(5), wait(9)]).toEqual([1, 6, 24, 24]);
  });

  it('does not quarantine two failures, nor failures of different causes, nor a streak broken by a success', () => {
    expect(quarantineOf([refused(1), refused(0)]).quarantined).toBe(false);
    expect(quarantineOf([refused(3), unreachable(2), refused(1), refused(0)]).quarantined).toBe(false);
    expect(quarantineOf([refused(3), refused(2), succeeded(1), refused(0)]).quarantined).toBe(false);
  });

  it('a run that got through with failures of single objects ends the quarantine', () => {
    const partly: RunOutcome = { status: 'completedWithFailures', finishedAt: at(4) };
    expect(quarantineOf([partly, refused(2), refused(1), refused(0)]).quarantined).toBe(false);
  });

  it('ignores runs still going or held, which have not failed (yet)', () => {
    const state = quarantineOf([
      { status: 'running' },
      { status: 'held' },
      refused(2),
      refused(1),
      refused(0),
    ]);
    expect(state.quarantined).toBe(true);
  });

  it("forgets failures from before an operator's reset", () => {
    const runs = [refused(3), refused(2), refused(1), refused(0)];
    expect(quarantineOf(runs, { resetAt: at(1.5) }).quarantined).toBe(false);
    expect(quarantineOf([refused(5), refused(4), ...runs], { resetAt: at(1.5) }).quarantined).toBe(true);
  });
});

describe('scheduleAllowed', () => {
  it('skips scheduled runs until the backoff ends, then lets one through to try again', () => {
    const state = quarantineOf([refused(2), refused(1), refused(0)]);
    expect(scheduleAllowed(state, new Date(at(2.5)))).toBe(false);
    expect(scheduleAllowed(state, new Date(at(3)))).toBe(true);
    expect(scheduleAllowed({ quarantined: false }, new Date(at(0)))).toBe(true);
  });
});
