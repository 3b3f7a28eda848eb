import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUserMapping } from '../../connectors/index.js';
import type { SourceConfig } from '../../src/config/load.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { Failure } from '../../src/model/failure.js';
import { type CallCounter, CursorExpiredError, type Source, SourceError } from '../../src/model/source.js';
import { recordingCounter } from './graph/support.js';

/** One person of the contract's directory, as each source names them. */
export interface Person {
  readonly id: string;
  readonly userName: string;
  readonly email: string;
  readonly active: boolean;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly memberIds: readonly string[];
}

/**
 * The directory every source under contract holds: Alice and Bob in Sales, and Dave, whose
 * account is disabled, in Engineering.
 */
export interface ContractDirectory {
  readonly users: { readonly alice: Person; readonly bob: Person; readonly dave: Person };
  readonly groups: { readonly sales: Team; readonly engineering: Team };
}

/** The same people and groups for every source; each gives them ids of its own kind. */
export function contractDirectory(ids: {
  readonly users: { readonly alice: string; readonly bob: string; readonly dave: string };
  readonly groups: { readonly sales: string; readonly engineering: string };
}): ContractDirectory {
  return {
    users: {
      alice: {
        id: ids.users.alice,
        userName: 'alice@contoso.example',
        email: 'a.smith@mail.contoso.example',
        active: true,
      },
      bob: {
        id: ids.users.bob,
        userName: 'bob@contoso.example',
        email: 'b.jones@mail.contoso.example',
        active: true,
      },
      dave: {
        id: ids.users.dave,
        userName: 'dave@contoso.example',
        email: 'd.brown@mail.contoso.example',
        active: false,
      },
    },
    groups: {
      sales: { id: ids.groups.sales, name: 'Sales', memberIds: [ids.users.alice, ids.users.bob] },
      engineering: { id: ids.groups.engineering, name: 'Engineering', memberIds: [ids.users.dave] },
    },
  };
}

/** A user the change feed must report: Erin joins Sales after the full read. */
export const NEWCOMER = { userName: 'erin@contoso.example', email: 'e.white@mail.contoso.example' };

/** How a source that has a change feed is changed; each returns the new user's id. */
export interface ChangeFeedControl {
  readonly addToSales: () => string;
}

/** A failure only this source has, and the class it must carry. */
export interface SourceSpecificFailure {
  readonly name: string;
  readonly source: () => Source;
  readonly failure: Failure;
}

/**
 * What the contract needs of a connector: its source over the contract directory, and the levers
 * (emulator controls, fixture files) that change the directory or make it fail. `'none'` says
 * the source has no such thing, and the contract asserts what follows from that.
 */
export interface SourceUnderContract {
  readonly type: SourceConfig['type'];
  readonly directory: ContractDirectory;
  /** An id of the source's own form that names no user. */
  readonly unknownUserId: string;
  source(counter?: CallCounter): Source;
  /** The checks of test-connection, in order, when every permission is granted. */
  readonly checks: readonly string[];
  /** A source that lacks one permission, and the check that must name it. */
  withoutPermission(): Promise<{ readonly source: Source; readonly check: string }>;
  readonly changeFeed: ChangeFeedControl | 'none';
  /** A source whose credentials the directory refuses. */
  readonly refusedCredentials: (() => Source) | 'none';
  /** Answers the given share of requests 429 from now on (0 stops it). */
  readonly throttle: ((rate: number) => void) | 'none';
  /** A source whose read needs an object the directory does not hold (its scope's app). */
  readonly missingObject: (() => Source) | 'none';
  readonly otherFailures: readonly SourceSpecificFailure[];
  close(): Promise<void>;
}

const EMAIL = 'emails[type eq "work"].value';

function membersOf(snapshot: DirectorySnapshot, groupId: string): string[] {
  return [...(snapshot.groups.find((group) => group.id === groupId)?.memberIds ?? [])].sort();
}

async function failureOf(read: Promise<unknown>): Promise<SourceError> {
  const error = await read.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'the read was expected to fail').toBeInstanceOf(SourceError);
  return error as SourceError;
}

/** The behaviour every `Source` shows, whichever directory it reads. */
export function sourceContract(name: string, start: () => Promise<SourceUnderContract>): void {
  describe(`${name} source contract`, () => {
    let subject: SourceUnderContract;
    beforeAll(async () => {
      subject = await start();
    });
    afterAll(() => subject?.close());

    const mapping = () => defaultUserMapping(subject.type);

    it('reads every user, disabled ones included, and every group with its members', async () => {
      const { snapshot, cursor } = await subject.source().readFull();
      const { users, groups } = subject.directory;
      expect(snapshot.users.map((user) => user.id).sort()).toEqual(
        Object.values(users)
          .map((person) => person.id)
          .sort(),
      );
      for (const person of Object.values(users)) {
        const user = snapshot.users.find((candidate) => candidate.id === person.id);
        expect(user?.active, person.userName).toBe(person.active);
        expect(user?.attributes[mapping().userName ?? '']).toBe(person.userName);
        expect(user?.attributes[mapping()[EMAIL] ?? '']).toBe(person.email);
      }
      expect(snapshot.groups.map((group) => [group.id, group.displayName]).sort()).toEqual(
        Object.values(groups)
          .map((team) => [team.id, team.name])
          .sort(),
      );
      for (const team of Object.values(groups)) {
        expect(membersOf(snapshot, team.id), team.name).toEqual([...team.memberIds].sort());
      }
      if (subject.changeFeed === 'none') expect(cursor).toBeUndefined();
      else expect(cursor).toEqual(expect.any(String));
    });

    it('looks subjects up by id, userName or email and groups by name, leaving misses unresolved', async () => {
      const { users, groups } = subject.directory;
      const references = {
        users: [
          users.alice.id,
          users.dave.userName.toUpperCase(),
          users.bob.email,
          'nobody@contoso.example',
          subject.unknownUserId,
        ],
        groups: [groups.sales.name, 'No such group'],
      };
      const { snapshot, resolved } = await subject.source().lookup(references);
      expect(resolved).toEqual({
        [users.alice.id]: users.alice.id,
        [users.dave.userName.toUpperCase()]: users.dave.id,
        [users.bob.email]: users.bob.id,
        [groups.sales.name]: groups.sales.id,
      });
      const read = new Set(snapshot.users.map((user) => user.id));
      for (const person of Object.values(users)) expect(read.has(person.id), person.userName).toBe(true);
      expect(membersOf(snapshot, groups.sales.id)).toEqual([...groups.sales.memberIds].sort());
      expect(membersOf(snapshot, groups.engineering.id)).toEqual([users.dave.id]);
    });

    it('suggests users whose userName or email starts with the text, ignoring case, with their email', async () => {
      const { alice, bob } = subject.directory.users;
      const source = subject.source();
      const byName = await source.suggest('user', 'ALICE@CON', 10);
      expect(byName.map(({ id, name }) => ({ id, name }))).toEqual([{ id: alice.id, name: alice.userName }]);
      expect(byName[0]?.detail).toContain(alice.email);
      const byEmail = await source.suggest('user', 'b.jones@', 10);
      expect(byEmail.map((suggestion) => suggestion.id)).toEqual([bob.id]);
      expect(await source.suggest('user', 'zz-nobody', 10)).toEqual([]);
    });

    it('suggests groups whose name starts with the text, ignoring case', async () => {
      const { sales, engineering } = subject.directory.groups;
      const source = subject.source();
      expect(await source.suggest('group', 'sal', 10)).toEqual([
        { id: sales.id, name: sales.name, detail: '' },
      ]);
      expect((await source.suggest('group', 'ENGINEER', 10)).map((group) => group.id)).toEqual([
        engineering.id,
      ]);
      expect(await source.suggest('group', 'alice', 10)).toEqual([]);
    });

    it('takes quotes, backslashes and operators in the text as text: they find nothing and break nothing', async () => {
      const source = subject.source();
      for (const text of ["o'brien", 'a" or profile.login sw "', "a') or startswith(mail,'", 'back\\slash']) {
        expect(await source.suggest('user', text, 10), text).toEqual([]);
        expect(await source.suggest('group', text, 10), text).toEqual([]);
      }
    });

    it('reports one check per permission, each passing when granted', async () => {
      const checks = await subject.source().testConnection();
      expect(checks.map((check) => check.name)).toEqual(subject.checks);
      for (const check of checks) {
        expect(check.ok, `${check.name}: ${check.message}`).toBe(true);
        expect(check.message).not.toBe('');
      }
    });

    it('fails exactly the check of a missing permission, saying why, and passes the others', async () => {
      const { source, check } = await subject.withoutPermission();
      const checks = await source.testConnection();
      expect(checks.filter((result) => !result.ok).map((result) => result.name)).toEqual([check]);
      expect(checks.find((result) => result.name === check)?.message).not.toBe('');
    });

    it('fails a read with refused credentials as fatal, for credentials', async () => {
      if (subject.refusedCredentials === 'none') return;
      const source = subject.refusedCredentials();
      const error = await failureOf(source.readFull());
      expect(error.failure).toEqual({ class: 'fatal', cause: 'credentials' });
      const failed = await failureOf(source.lookup({ users: ['alice@contoso.example'], groups: [] }));
      expect(failed.failure).toEqual({ class: 'fatal', cause: 'credentials' });
      const suggestion = await failureOf(source.suggest('user', 'alice', 10));
      expect(suggestion.failure).toEqual({ class: 'fatal', cause: 'credentials' });
      const checks = await source.testConnection();
      expect(checks.some((check) => !check.ok)).toBe(true);
    });

    it('waits out 429s and reads the same directory; a 429 that never ends fails as throttled', async () => {
      const { throttle } = subject;
      if (throttle === 'none') return;
      const counter = recordingCounter();
      const source = subject.source(counter);
      const calm = await source.readFull();
      try {
        throttle(0.5);
        const stormy = await source.readFull();
        expect(stormy.snapshot).toEqual(calm.snapshot);
        expect(counter.throttles).toBeGreaterThan(0);
        throttle(1);
        const error = await failureOf(source.readFull());
        expect(error.failure).toEqual({ class: 'throttled' });
      } finally {
        throttle(0);
      }
    });

    it('fails a read of an object the directory does not hold as not found', async () => {
      if (subject.missingObject === 'none') return;
      const error = await failureOf(subject.missingObject().readFull());
      expect(error.failure).toEqual({ class: 'notFound' });
    });

    it('gives every failure of its own a class the run can act on', async () => {
      for (const { name: failureName, source, failure } of subject.otherFailures) {
        const error = await failureOf(source().readFull());
        expect(error.failure, failureName).toEqual(failure);
      }
    });

    // Last: it changes the directory the other tests read.
    it('reads the changes since a cursor with a new cursor, refuses a cursor it cannot read, or has no incremental read at all', async () => {
      const source = subject.source();
      const { changeFeed } = subject;
      if (changeFeed === 'none') {
        expect(source.readChanges).toBeUndefined();
        return;
      }
      const full = await source.readFull();
      const erin = changeFeed.addToSales();
      const first = await source.readChanges?.(full.cursor ?? '', full.snapshot);
      const joined = first?.changes.upsertedUsers.find((user) => user.id === erin);
      expect(joined?.attributes[mapping().userName ?? '']).toBe(NEWCOMER.userName);
      expect(joined?.active).toBe(true);
      expect(first?.changes.membershipsAdded).toContainEqual({
        groupId: subject.directory.groups.sales.id,
        memberId: erin,
      });
      expect(first?.changes.removedUsers).toEqual([]);
      // A new cursor, though not always a different one: Okta's is the server's Date header, which
      // has one-second resolution, and two reads within one second may start from the same instant.
      expect(first?.cursor).toEqual(expect.any(String));

      const next = await source.readChanges?.(first?.cursor ?? '', full.snapshot);
      expect(next?.cursor).toEqual(expect.any(String));
      await expect(source.readChanges?.('not a cursor', full.snapshot)).rejects.toBeInstanceOf(
        CursorExpiredError,
      );
    });
  });
}
