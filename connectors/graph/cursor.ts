import { CursorExpiredError } from '../../src/model/source.js';

/**
 * Where the next incremental read starts: the delta links of the users and groups feeds, and the
 * user properties they track (the `$select` is part of a delta link: a link taken for fewer
 * properties never reports the others).
 */
export interface DeltaCursor {
  readonly users: string;
  readonly groups: string;
  readonly userSelect: readonly string[];
}

/**
 * 2: delta items are merged onto the source records committed with the cursor. A version-1 cursor
 * was committed with records that took each item as a whole object, so those may have lost values.
 */
const VERSION = 2;

export function encodeDeltaCursor(cursor: DeltaCursor): string {
  return JSON.stringify({ v: VERSION, ...cursor });
}

/**
 * The cursor, if an incremental read can continue from it with `userSelect`; otherwise
 * `CursorExpiredError` saying why, and the run falls back to a full read.
 */
export function decodeDeltaCursor(text: string, userSelect: readonly string[]): DeltaCursor {
  let parsed: Partial<DeltaCursor> & { v?: number };
  try {
    parsed = JSON.parse(text) as Partial<DeltaCursor> & { v?: number };
  } catch {
    parsed = {};
  }
  if (parsed.v === 1) {
    throw new CursorExpiredError(
      'the Graph cursor was stored by an earlier dirsync, whose source records took partial delta items as whole users; a full read rebuilds them',
    );
  }
  const { users, groups, userSelect: tracked } = parsed;
  if (
    parsed.v !== VERSION ||
    typeof users !== 'string' ||
    typeof groups !== 'string' ||
    !Array.isArray(tracked)
  ) {
    throw new CursorExpiredError('the stored Graph cursor is not readable; a full read is needed');
  }
  const missing = userSelect.filter((name) => !tracked.includes(name));
  if (missing.length > 0) {
    throw new CursorExpiredError(
      `the mapping now reads user properties the delta links do not track (${missing.join(', ')}); a full read is needed`,
    );
  }
  return { users, groups, userSelect: tracked };
}
