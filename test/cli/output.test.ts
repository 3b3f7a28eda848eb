import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../src/cli/logLines.js';
import { clock, progressText } from '../../src/cli/progress.js';
import { countsTable, runSummary } from '../../src/cli/render.js';
import { renderTable } from '../../src/cli/table.js';
import type { RunRecord } from '../../src/model/run.js';

const record: RunRecord = {
  id: 'r-1',
  tenant: 'acme',
  requestedMode: 'full',
  mode: 'full',
  dryRun: false,
  trigger: 'cli',
  status: 'running',
  createdAt: '2026-01-02T03:04:05.000Z',
  phase: 'users',
  counts: {
    createUser: { planned: 4_000, succeeded: 1_190, failed: 10 },
    createGroup: { planned: 1_000, succeeded: 0, failed: 0 },
  },
  apiCalls: { source: 40, target: 1_300 },
  throttled: { source: 0, target: 0 },
  failures: [
    {
      objectType: 'user',
      externalId: 'u-7',
      op: 'createUser',
      reason: 'uniqueness: userName taken',
      failureClass: { class: 'badRequest' },
    },
  ],
  failureCount: 1,
} as RunRecord;

describe('tables', () => {
  it('lines columns up under a header, numbers on the right', () => {
    expect(
      renderTable(
        [{ title: 'op' }, { title: 'planned', align: 'right' }],
        [
          ['createUser', '4000'],
          ['addMembers', '7'],
        ],
      ),
    ).toBe(
      ['op          planned', '──────────  ───────', 'createUser     4000', 'addMembers        7'].join('\n'),
    );
  });

  it('renders a run summary with its counts and failures as tables', () => {
    const summary = runSummary(record, true);
    expect(summary).toContain(
      [
        '  op           planned  succeeded  failed',
        '  ───────────  ───────  ─────────  ──────',
        '  createUser      4000       1190      10',
      ].join('\n'),
    );
    expect(summary).toContain(
      '\n    user    u-7          createUser  badRequest  uniqueness: userName taken',
    );
    expect(runSummary(record)).toContain('user u-7 createUser (badRequest): uniqueness: userName taken');
    // Without tables, the lines scripts read stay as they were.
    expect(countsTable(record.counts)).toBe(
      '  createUser      planned   4000 succeeded   1190 failed     10\n  createGroup     planned   1000 succeeded      0 failed      0',
    );
  });
});

describe('a failed run', () => {
  it('says what its failure means beside its error', () => {
    const refused = {
      ...record,
      status: 'failed',
      error: 'platform answered 401: SCIM GET /Users failed with 401',
      failureClass: { class: 'fatal', cause: 'credentials' },
    } as RunRecord;
    expect(runSummary(refused)).toContain(
      '\n  error (fatal: credentials): platform answered 401: SCIM GET /Users failed with 401',
    );
  });
});

describe('progress line', () => {
  it('says done of total, the share, the rate, the time left and the failures', () => {
    expect(progressText(record, 65_000, 120)).toBe(
      '[acme] running users · 1,200/5,000 ops 24% · 120 ops/s · ETA 0:32 · 10 failed · 1,340 API calls · 1:05',
    );
  });

  it('leaves out rate and ETA until ops have been finishing, and shows what was read before the plan', () => {
    const importing = {
      ...record,
      phase: 'import',
      counts: {},
      source: { users: 12_000, groups: 300 },
    } as RunRecord;
    expect(progressText(importing, 3_000, undefined)).toBe(
      '[acme] running import · read 12,000 users, 300 groups · 1,340 API calls · 0:03',
    );
  });

  it('counts hours when a run is long', () => {
    expect(clock(3_723_000)).toBe('1:02:03');
  });
});

describe('log lines at a terminal', () => {
  it('show time, level, message and fields, an error with its stack, without the fields every line has', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 2, 14, 3, 7),
      service: 'dirsync',
      msg: 'platform throttled; waiting',
      path: '/scim/v2/Users',
      waitMs: 1200,
      token: '[redacted]',
      err: { type: 'Error', message: 'socket hang up', stack: 'Error: socket hang up\n    at x' },
    });
    expect(formatLogLine(line, false)).toBe(
      '14:03:07 WARN  platform throttled; waiting  path=/scim/v2/Users  waitMs=1200  token=[redacted]  err="socket hang up"\n    Error: socket hang up\n        at x\n',
    );
    expect(formatLogLine(line, true)).toContain('\x1b[33mWARN \x1b[0m');
  });
});
