import { z } from 'zod';
import type { CsvDelimiter } from '../../src/model/csvDelimiters.js';
import type {
  AttributeValue,
  DirectoryGroup,
  DirectorySnapshot,
  DirectoryUser,
} from '../../src/model/directory.js';
import { SourceError } from '../../src/model/source.js';
import { type CsvRow, CsvSyntaxError, parseCsv } from './csv.js';

/**
 * A directory export (README, "What each source needs"). Anything that does not parse fails the whole read: a file read
 * half-way must never look like a directory whose users left. It is not fatal: the job that writes
 * the export may write a good one before the next run.
 */
export class DirectoryFileError extends SourceError {
  override readonly name = 'DirectoryFileError';
  constructor(message: string) {
    super(message, { class: 'badRequest' });
  }
}

const USER_FIELDS = [
  'userName',
  'email',
  'givenName',
  'familyName',
  'displayName',
  'department',
  'title',
  'employeeId',
  'manager',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).nullish();
const jsonUser = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  userName: scalar,
  active: z.union([z.boolean(), z.string()]).nullish(),
  ...Object.fromEntries(USER_FIELDS.filter((field) => field !== 'userName').map((field) => [field, scalar])),
});
const jsonGroup = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  displayName: z.string().min(1),
  members: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
});
const jsonDirectory = z.looseObject({
  users: z.array(jsonUser),
  groups: z.array(jsonGroup).nullish(),
});

export function parseDirectoryJson(text: string): DirectorySnapshot {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DirectoryFileError(`not valid JSON: ${(error as Error).message}`);
  }
  const parsed = jsonDirectory.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DirectoryFileError(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const users = parsed.data.users.map((entry) => toUser(entry.id, entry, entry.active));
  const groups = (parsed.data.groups ?? []).map(
    (entry): DirectoryGroup => ({
      id: entry.id,
      displayName: entry.displayName,
      attributes: { displayName: entry.displayName },
      memberIds: entry.members ?? [],
    }),
  );
  assertUniqueIds(users, 'user');
  assertUniqueIds(groups, 'group');
  return { users, groups };
}

/**
 * One user per row; a `groups` column of `;`-separated group display names (the name is the group's
 * id). Errors name the line of the file, as an editor shows it.
 */
export function parseDirectoryCsv(text: string, delimiter?: CsvDelimiter): DirectorySnapshot {
  let rows: CsvRow[];
  try {
    rows = parseCsv(text, delimiter);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new DirectoryFileError(`not valid CSV: ${error.message}`);
  }
  const [header, ...records] = rows;
  if (!header) throw new DirectoryFileError('the CSV file is empty: expected a header row');
  const columns = header.cells.map((name) => name.trim());
  for (const required of ['id', 'userName']) {
    if (!columns.includes(required))
      throw new DirectoryFileError(`the CSV header has no "${required}" column`);
  }
  const members = new Map<string, string[]>();
  const users = records.map(({ line, cells }) => {
    if (cells.length !== columns.length) {
      throw new DirectoryFileError(`line ${line}: ${cells.length} cells, the header has ${columns.length}`);
    }
    const record = Object.fromEntries(columns.map((column, at) => [column, cells[at]!.trim()]));
    if (!record.id) throw new DirectoryFileError(`line ${line}: the id is empty`);
    for (const name of (record.groups ?? '').split(';').map((value) => value.trim())) {
      if (name === '') continue;
      const list = members.get(name) ?? [];
      list.push(record.id);
      members.set(name, list);
    }
    return toUser(record.id, record, record.active);
  });
  assertUniqueIds(users, 'user');
  const groups = [...members].map(
    ([displayName, memberIds]): DirectoryGroup => ({
      id: displayName,
      displayName,
      attributes: { displayName },
      memberIds,
    }),
  );
  return { users, groups };
}

function toUser(id: string, fields: Record<string, unknown>, active: unknown): DirectoryUser {
  const attributes: Record<string, AttributeValue> = {};
  for (const field of USER_FIELDS) {
    const value = fields[field];
    if (typeof value === 'number' || typeof value === 'boolean') attributes[field] = value;
    else if (typeof value === 'string' && value.trim() !== '') attributes[field] = value;
  }
  return { id, active: parseActive(active), attributes };
}

/** `active` defaults to true; "false", "0", "no" and false disable the account. */
function parseActive(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value === 'boolean') return value;
  return !['false', '0', 'no', 'disabled'].includes(String(value).trim().toLowerCase());
}

function assertUniqueIds(objects: readonly { id: string }[], kind: string): void {
  const seen = new Set<string>();
  for (const object of objects) {
    if (seen.has(object.id)) throw new DirectoryFileError(`${kind} id "${object.id}" appears twice`);
    seen.add(object.id);
  }
}
