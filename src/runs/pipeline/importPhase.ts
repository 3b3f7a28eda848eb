import { applyChanges, unknownGroupReferences } from '../../engine/index.js';
import type { DirectorySnapshot } from '../../model/directory.js';
import type { Platform } from '../../model/platform.js';
import type { PlatformState } from '../../model/scim.js';
import { CursorExpiredError, type Source } from '../../model/source.js';
import type { SourceCheckpoint } from '../ports.js';
import { nextStep, type RunContext } from './context.js';

/** What the source holds now, and what the plan phase needs beside it. */
export interface ImportedSource {
  readonly mode: 'full' | 'incremental';
  readonly snapshot: DirectorySnapshot;
  readonly cursor?: string;
  readonly fallbackReason?: string;
  /** The checkpoint the last committed run left; an incremental run starts from it. */
  readonly previous: SourceCheckpoint | undefined;
  readonly platform: Platform;
  /** A full run's read of the whole platform, started alongside the source's. */
  readonly platformRead: Promise<PlatformState> | undefined;
}

/**
 * Reads the source, full or incremental (falling back to full when the cursor cannot be
 * continued), while a full run reads the whole platform alongside; records what it read.
 */
export async function importPhase(run: RunContext): Promise<ImportedSource> {
  const { deps, request, tenant } = run;
  const { stores, runtime } = deps;
  const source = await runtime.source(run.counter);
  const platform = runtime.platform(run.counter);
  const previous = await stores.state.checkpoint(tenant);
  // A full run reads the whole platform: while the source is read, not after it.
  const platformRead = request.mode === 'full' ? readWholePlatform(platform) : undefined;
  platformRead?.catch(() => {
    // Awaited (and so reported) in the plan phase; only an import that failed first leaves it unawaited.
  });
  const cursorWithoutRecords = previous ? undefined : await stores.state.cursorCommittedAt(tenant);
  const read = await readSource(source, request.mode, previous, cursorWithoutRecords);
  nextStep(deps);
  const { fallbackReason } = read;
  await stores.runs.update(tenant, request.runId, {
    mode: read.mode,
    ...run.phases.enter('plan'),
    source: { users: read.snapshot.users.length, groups: read.snapshot.groups.length },
    ...(fallbackReason ? { fallbackReason } : {}),
  });
  if (fallbackReason) run.logger.info({ fallbackReason }, 'incremental run falls back to full');
  return { ...read, previous, platform, platformRead };
}

/** The checkpoint this run commits once its ops are enqueued. */
export function checkpointOf(run: RunContext, imported: ImportedSource): SourceCheckpoint {
  return {
    snapshot: imported.snapshot,
    committedAt: run.started.toISOString(),
    ...(imported.cursor ? { cursor: imported.cursor } : {}),
  };
}

export async function readWholePlatform(platform: Platform): Promise<PlatformState> {
  const [users, groups] = await Promise.all([platform.listUsers(), platform.listGroups()]);
  return { users, groups };
}

type SourceRead = Pick<ImportedSource, 'mode' | 'snapshot' | 'cursor' | 'fallbackReason'>;

/**
 * `cursorWithoutRecords` is when a cursor was committed whose source records (the checkpoint's
 * snapshot) are missing: it cannot be continued alone, since changes are merged onto those records.
 */
async function readSource(
  source: Source,
  requested: 'full' | 'incremental',
  previous: SourceCheckpoint | undefined,
  cursorWithoutRecords: string | undefined,
): Promise<SourceRead> {
  let fallbackReason: string | undefined;
  if (requested === 'incremental') {
    if (!source.readChanges) fallbackReason = 'this source has no change feed';
    else if (cursorWithoutRecords) {
      fallbackReason = `the cursor committed at ${cursorWithoutRecords} has no source records beside it; a full read rebuilds them`;
    } else if (!previous?.cursor) fallbackReason = 'no cursor yet (first run, or reset)';
    else {
      try {
        const read = await source.readChanges(previous.cursor, previous.snapshot);
        const snapshot = applyChanges(previous.snapshot, read.changes);
        const unknown = unknownGroupReferences(snapshot, read.changes);
        if (read.changes.needsFullRun) fallbackReason = read.changes.needsFullRun;
        else if (unknown.length > 0) {
          fallbackReason = `${unknown.length} group(s) came into scope that no earlier read included (${unknown.slice(0, 3).join(', ')})`;
        } else return { mode: 'incremental', snapshot, cursor: read.cursor };
      } catch (error) {
        if (!(error instanceof CursorExpiredError)) throw error;
        fallbackReason = `the source no longer accepts the cursor (${error.message})`;
      }
    }
  }
  const read = await source.readFull();
  return {
    mode: 'full',
    snapshot: read.snapshot,
    ...(read.cursor ? { cursor: read.cursor } : {}),
    ...(fallbackReason ? { fallbackReason } : {}),
  };
}
