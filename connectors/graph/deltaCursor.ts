import { CursorExpiredError } from '../../src/model/source.js';

/** Where the next incremental read starts: the delta links of the users and groups feeds. */
export interface DeltaCursor {
  readonly users: string;
  readonly groups: string;
}

export function encodeDeltaCursor(cursor: DeltaCursor): string {
  return JSON.stringify({ v: 1, users: cursor.users, groups: cursor.groups });
}

/** A cursor this connector did not write cannot be continued: the run falls back to full. */
export function decodeDeltaCursor(text: string): DeltaCursor {
  try {
    const parsed = JSON.parse(text) as Partial<DeltaCursor> & { v?: number };
    if (parsed.v === 1 && typeof parsed.users === 'string' && typeof parsed.groups === 'string') {
      return { users: parsed.users, groups: parsed.groups };
    }
  } catch {
    // falls through to the error below
  }
  throw new CursorExpiredError('the stored Graph cursor is not readable; a full read is needed');
}
