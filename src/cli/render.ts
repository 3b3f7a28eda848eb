import type { RecordedFailure } from '../model/failure.js';
import type { Op, OpKind } from '../model/plan.js';
import type { RunRecord } from '../model/run.js';
import { renderTable } from './table.js';

/** Plain-text renderings for people; `--json` prints the records themselves. */

export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'createUser':
      return `createUser ${op.attributes.userName ?? op.externalId}${op.active ? '' : ' (inactive)'}`;
    case 'updateUser':
    case 'reactivateUser':
      return `${op.kind} ${op.attributes.userName ?? op.externalId}: ${op.changes.map(describeChange).join(', ')}`;
    case 'createGroup':
      return `createGroup ${op.displayName} (${op.memberExternalIds.length} members)`;
    case 'updateGroup':
      return `updateGroup ${op.displayName}: ${op.changes.map(describeChange).join(', ')}`;
    case 'addMembers':
    case 'removeMembers':
      return `${op.kind} ${op.externalId}: ${op.memberExternalIds.length} member(s)`;
    default:
      return `${op.kind} ${op.externalId} (platform id ${op.targetId})`;
  }
}

function describeChange(change: { path: string; from?: unknown; to?: unknown }): string {
  const show = (value: unknown) => (value === undefined ? '∅' : JSON.stringify(value));
  return `${change.path} ${show(change.from)} → ${show(change.to)}`;
}

type Counts = Readonly<Partial<Record<OpKind, { planned: number; succeeded: number; failed: number }>>>;

/** Op counts per kind: aligned lines, or a table with a header (`tables`, for a terminal). */
export function countsTable(counts: Counts, tables = false): string {
  const kinds = (
    Object.entries(counts) as [OpKind, { planned: number; succeeded: number; failed: number }][]
  ).filter(([, count]) => count.planned + count.succeeded + count.failed > 0);
  if (tables && kinds.length > 0)
    return renderTable(
      [
        { title: 'op' },
        { title: 'planned', align: 'right' },
        { title: 'succeeded', align: 'right' },
        { title: 'failed', align: 'right' },
      ],
      kinds.map(([kind, count]) => [
        kind,
        String(count.planned),
        String(count.succeeded),
        String(count.failed),
      ]),
      '  ',
    );
  const rows = kinds.map(
    ([kind, count]) =>
      `  ${kind.padEnd(15)} planned ${pad(count.planned)} succeeded ${pad(count.succeeded)} failed ${pad(count.failed)}`,
  );
  return rows.length > 0 ? rows.join('\n') : '  no changes';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** ` (import 0.8 s, plan 0.1 s, users 3.9 s, groups 0.5 s)`: where the run's time went. */
function phaseTimes(record: RunRecord): string {
  const spent = Object.entries(record.phaseMs ?? {}).map(([phase, ms]) => `${phase} ${seconds(ms)}`);
  return spent.length > 0 ? ` (${spent.join(', ')})` : '';
}

function pad(value: number): string {
  return String(value).padStart(6);
}

/** `fatal: credentials`, `badRequest`: what a failure means (README, "Failure classes"). */
function failureClassLabel(failure: RecordedFailure): string {
  return failure.class === 'fatal' ? `fatal: ${failure.cause}` : failure.class;
}

/** ` (fatal: credentials)` after a failure's subject; nothing for a record stored before classes. */
function classOf(failure: RecordedFailure | undefined): string {
  return failure ? ` (${failureClassLabel(failure)})` : '';
}

/** A run for people: what it was, where its time went, its counts and failures (`tables` at a terminal). */
export function runSummary(record: RunRecord, tables = false): string {
  const lines = [
    `run ${record.id} of ${record.tenant}: ${record.status}${record.dryRun ? ' (dry run)' : ''}`,
    `  mode ${record.mode}${record.mode !== record.requestedMode ? ` (asked ${record.requestedMode}: ${record.fallbackReason})` : ''}, trigger ${record.trigger}`,
    `  started ${record.startedAt ?? '-'}, took ${record.durationMs !== undefined ? seconds(record.durationMs) : '-'}${phaseTimes(record)}`,
    `  API calls: source ${record.apiCalls.source}, target ${record.apiCalls.target}; throttled: source ${record.throttled.source}, target ${record.throttled.target}`,
  ];
  if (record.source) lines.push(`  source: ${record.source.users} users, ${record.source.groups} groups`);
  if (record.memberships && record.memberships.added + record.memberships.removed > 0)
    lines.push(`  group members: ${record.memberships.added} added, ${record.memberships.removed} removed`);
  if (record.heldReason)
    lines.push(
      `  HELD: ${record.heldReason}`,
      `  approve with: dirsync approve ${record.tenant} ${record.id}`,
    );
  if (record.error) lines.push(`  error${classOf(record.failureClass)}: ${record.error}`);
  lines.push(countsTable(record.counts, tables));
  if (record.failureCount > 0) {
    lines.push(`  ${record.failureCount} failure(s):`);
    if (tables)
      lines.push(
        renderTable(
          [
            { title: 'object' },
            { title: 'external id' },
            { title: 'op' },
            { title: 'class' },
            { title: 'reason' },
          ],
          record.failures
            .slice(0, 50)
            .map((failure) => [
              failure.objectType,
              failure.externalId ?? '',
              failure.op ?? '',
              failure.failureClass ? failureClassLabel(failure.failureClass) : '',
              failure.reason,
            ]),
          '    ',
        ),
      );
    else
      for (const failure of record.failures.slice(0, 50)) {
        lines.push(
          `    ${failure.objectType} ${failure.externalId ?? ''} ${failure.op ?? ''}${classOf(failure.failureClass)}: ${failure.reason}`.replace(
            / +/g,
            ' ',
          ),
        );
      }
    if (record.failureCount > 50)
      lines.push(`    … ${record.failureCount - 50} more (dirsync run ${record.tenant} ${record.id} --json)`);
  }
  return lines.join('\n');
}
