import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/model/plan.js';
import { opBatchJobSchema } from '../../src/queue/jobs.js';
import { opId } from '../../src/runs/opIds.js';

const ops: Op[] = [
  { kind: 'createUser', externalId: 'u1', active: true, attributes: { userName: 'ada@example.com' } },
  { kind: 'deactivateUser', externalId: 'u2', targetId: 'p2' },
];

describe('op batch job data', () => {
  it('keeps the op ids a producer sent, in order', () => {
    const parsed = opBatchJobSchema.parse({ tenant: 't', runId: 'r', attempt: 0, ops, opIds: ['a', 'b'] });
    expect(parsed.opIds).toEqual(['a', 'b']);
  });

  it('gives a job enqueued before op ids travelled with it the ids its ops hash to', () => {
    const parsed = opBatchJobSchema.parse({ tenant: 't', runId: 'r', attempt: 1, ops });
    expect(parsed.opIds).toEqual(ops.map(opId));
  });

  it('refuses ids that do not name each op once', () => {
    const parsed = opBatchJobSchema.safeParse({ tenant: 't', runId: 'r', attempt: 0, ops, opIds: ['a'] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('opIds');
  });
});
