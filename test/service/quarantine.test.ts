import { describe, expect, it } from 'vitest';
import {
  quarantineOf,
  type RunOutcome,
  runFatalCause,
  scheduleAllowed,
} from '../../src/service/quarantine.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

const refused = (hours: number): RunOutcome => ({
  status: 'failed',
  error: 'platform answered 401: invalid bearer token',
  failureClass: { class: 'fatal', cause: 'credentials' },
  finishedAt: at(hours),
});
const unreachable = (hours: number): RunOutcome => ({
  status: 'failed',
  error: 'SCIM GET /scim/v2/Users: ECONNREFUSED',
  failureClass: { class: 'fatal', cause: 'unreachable' },
  finishedAt: at(hours),
});
const failedAs = (failureClass: RunOutcome['failureClass'], error: string): RunOutcome => ({
  status: 'failed',
  error,
  ...(failureClass && { failureClass }),
});
const succeeded = (hours: number): RunOutcome => ({ status: 'succeeded', finishedAt: at(hours) });

describe('runFatalCause', () => {
  it.each([
    [{ class: 'fatal', cause: 'credentials' }, 'credentials'],
    [{ class: 'fatal', cause: 'unreachable' }, 'unreachable'],
    [{ class: 'fatal', cause: 'configuration' }, 'configuration'],
  ] as const)('a failed run of class %j counts as %s', (failureClass, cause) => {
    expect(runFatalCause(failedAs(failureClass, 'whatever the text says'))).toBe(cause);
  });

  it.each(['transient', 'throttled', 'badRequest', 'notFound', 'conflict', 'internal'] as const)(
    'a failed run of class %s does not count, whatever its text says',
    (failureClass) => {
      const run = failedAs({ class: failureClass }, 'platform answered 401 after connect ECONNREFUSED');
      expect(runFatalCause(run)).toBeUndefined();
    },
  );

  it('a run that did not fail does not count, whatever its class', () => {
    const expired: RunOutcome = { status: 'expired', failureClass: { class: 'fatal', cause: 'credentials' } };
    expect(runFatalCause(expired)).toBeUndefined();
  });

  it.each([
    ['platform answered 401: Unauthorized', 'credentials'],
    ['Graph GET /users failed: 403 Authorization_RequestDenied: Insufficient privileges', 'credentials'],
    ['AADSTS7000215: Invalid client secret provided', 'credentials'],
    ['getaddrinfo ENOTFOUND scim.example.invalid', 'unreachable'],
    ['self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)', 'unreachable'],
    ["tenant acme is not in this worker's configuration", 'configuration'],
    ["ENOENT: no such file or directory, open '/data/export.json'", 'configuration'],
  ])('a run stored before failures had classes is read by its text: %s → %s', (error, cause) => {
    expect(runFatalCause(failedAs(undefined, error))).toBe(cause);
  });

  it('a run stored before failures had classes does not count for a server error or a bad object', () => {
    expect(runFatalCause(failedAs(undefined, 'platform answered 500: internal error'))).toBeUndefined();
    expect(runFatalCause(failedAs(undefined, 'users[3].userName: required'))).toBeUndefined();
    expect(runFatalCause({ status: 'failed' })).toBeUndefined();
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

  it('does not quarantine a streak of failures that are not fatal: a bug, a server error', () => {
    const bug = (hours: number): RunOutcome => ({
      ...failedAs({ class: 'internal' }, "Cannot read properties of undefined (reading 'id')"),
      finishedAt: at(hours),
    });
    const serverError = (hours: number): RunOutcome => ({
      ...failedAs({ class: 'transient' }, 'platform answered 500: internal error'),
      finishedAt: at(hours),
    });
    expect(quarantineOf([bug(2), bug(1), bug(0)]).quarantined).toBe(false);
    expect(quarantineOf([serverError(2), serverError(1), serverError(0)]).quarantined).toBe(false);
  });

  it('quarantines a streak begun before failures had classes and continued after', () => {
    const legacy = (hours: number): RunOutcome => ({
      ...failedAs(undefined, 'platform answered 401: invalid bearer token'),
      finishedAt: at(hours),
    });
    expect(quarantineOf([refused(2), legacy(1), legacy(0)])).toMatchObject({
      quarantined: true,
      cause: 'credentials',
      consecutiveFailures: 3,
    });
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
