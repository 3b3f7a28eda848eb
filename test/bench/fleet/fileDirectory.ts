import { renameSync, writeFileSync } from 'node:fs';

/** A file tenant's export, in the file source's JSON format (README, "What each source needs"). */
export interface FileDirectory {
  readonly users: FileUser[];
  readonly groups: { readonly id: string; readonly displayName: string; readonly members: string[] }[];
}

export interface FileUser {
  readonly id: string;
  readonly userName: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly displayName: string;
  readonly department: string;
  title: string;
}

const USERS_PER_GROUP = 25;
const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance'];

/** `users` users of one tenant, and a group per 25 of them (at least two) holding them in turn. */
export function fileDirectory(tenant: string, users: number): FileDirectory {
  const people = Array.from({ length: users }, (_unused, index): FileUser => {
    const userName = `user${index}@${tenant}.example`;
    return {
      id: `${tenant}-u${index}`,
      userName,
      email: userName,
      givenName: 'User',
      familyName: String(index),
      displayName: `User ${index}`,
      department: DEPARTMENTS[index % DEPARTMENTS.length]!,
      title: 'Engineer',
    };
  });
  const groupCount = Math.max(2, Math.floor(users / USERS_PER_GROUP));
  const groups = Array.from({ length: groupCount }, (_unused, index) => ({
    id: `${tenant}-g${index}`,
    displayName: `Team ${index}`,
    members: people
      .filter((_person, personIndex) => personIndex % groupCount === index)
      .map((person) => person.id),
  }));
  return { users: people, groups };
}

/** Writes the export whole or not at all: a run never reads a half-written file. */
export function writeDirectoryFile(path: string, directory: FileDirectory): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, JSON.stringify(directory));
  renameSync(partial, path);
}
