import type { UserView } from '../support/scimState.js';
import type { FileGroup, FileUser } from './support.js';

/**
 * The hostile input corpus: directory objects as real exports bring them. Each case is a few source
 * objects and what the platform must end up with: provisioned exactly as given, skipped with a
 * reason on the object, or (an inactive user without an account) not there and no failure.
 */
export type Outcome =
  | { readonly kind: 'provisioned' }
  | { readonly kind: 'skipped'; readonly reason: RegExp }
  | { readonly kind: 'absent' };

export interface HostileCase {
  readonly name: string;
  readonly users?: readonly FileUser[];
  readonly groups?: readonly (FileGroup & { readonly expectedMembers: readonly string[] })[];
  /** Of the case's users; its groups are always provisioned with their expected members. */
  readonly outcome?: Outcome;
}

const PROVISIONED: Outcome = { kind: 'provisioned' };
const NO_USER_NAME: Outcome = {
  kind: 'skipped',
  reason: /^no userName: its mapped source attribute is empty$/,
};
const DUPLICATE: Outcome = {
  kind: 'skipped',
  reason: /^conflict: 2 source users would be created with userName/,
};

/** Plain users the group cases hold, so that a group's trouble is its own. */
export const bystanders: readonly FileUser[] = Array.from({ length: 6 }, (_, index) => ({
  id: `b-${index}`,
  userName: `bystander-${index}@example.com`,
  email: `bystander-${index}@example.com`,
  givenName: 'Bystander',
  familyName: String(index),
  department: 'Control',
}));
const bystander = (index: number) => bystanders[index]!;
const userNameOf = (index: number) => String(bystander(index).userName);

let serial = 0;
/** A case's user: a fresh id, then the hostile fields. */
const user = (fields: Omit<FileUser, 'id'> & { id?: string }): FileUser => ({
  id: `h-${++serial}`,
  ...fields,
});
const userCase = (
  name: string,
  fields: Omit<FileUser, 'id'> & { id?: string },
  outcome: Outcome = PROVISIONED,
) => ({
  name,
  users: [user(fields)],
  outcome,
});
const groupCase = (
  name: string,
  id: string,
  displayName: string,
  members: readonly string[],
  expectedMembers: readonly string[],
) => ({
  name,
  groups: [{ id, displayName, members, expectedMembers }],
});

/** A user the corpus skips, that a group case holds. */
const SKIPPED_ID = 'h-empty-username';
const longUserName = `${'l'.repeat(10_000 - '@example.com'.length)}@example.com`;
const chain = Array.from({ length: 30 }, (_, depth) => ({
  id: `g-chain-${depth}`,
  displayName: `Chain level ${depth}`,
  members: depth === 29 ? [bystander(5).id] : [`g-chain-${depth + 1}`],
  expectedMembers: [userNameOf(5)],
}));

export const hostileCases: readonly HostileCase[] = [
  userCase('double quote in the userName', {
    userName: 'o"neil@example.com',
    displayName: 'Shaquille "Shaq" O\'Neil',
  }),
  userCase('single quote in the userName', { userName: "o'brien@example.com", familyName: "O'Brien" }),
  userCase('backslash in the userName', { userName: 'back\\slash@example.com' }),
  userCase('backslash before a quote', { userName: 'tricky\\"@example.com', givenName: '\\"' }),
  userCase('trailing backslash', { userName: 'ends-with-backslash\\' }),
  userCase('SCIM filter injection', { userName: 'x" or userName pr or "@example.com' }),
  userCase('or / and / not inside a name', {
    userName: 'ann or bob and not carl@example.com',
    displayName: 'Ann or Bob and Carl',
  }),
  userCase('a userName that reads as an operator', { userName: 'userName pr' }),
  userCase('parentheses and brackets', {
    userName: '(team)[1]@example.com',
    title: 'emails[type eq "work"]',
  }),
  userCase('OData injection', { userName: "x' or '1' eq '1@example.com", email: "x' or 1 eq 1@example.com" }),
  userCase('accents, composed', {
    userName: 'josé.müller@example.com',
    displayName: 'José Müller-Łukasz Ærøskøbing',
  }),
  userCase('accents, decomposed (a different userName)', { userName: 'jose\u0301.mu\u0308ller@example.com' }),
  userCase('CJK', {
    userName: '山田太郎@example.jp',
    givenName: '太郎',
    familyName: '山田',
    department: '営業部',
  }),
  userCase('emoji, with joiners and skin tones', {
    userName: 'rocket🚀@example.com',
    displayName: '🚀 Launch 👩‍👩‍👧 👍🏽',
  }),
  userCase('right-to-left Arabic', {
    userName: 'مستخدم@example.com',
    displayName: 'محمد علي',
    title: 'مهندس',
  }),
  userCase('right-to-left override and Hebrew', {
    userName: 'rlo@example.com',
    displayName: '\u202Eexe.gnp שלום',
  }),
  userCase('zero-width characters', { userName: 'zero\u200Bwidth\uFEFF@example.com' }),
  userCase('a 10,000-character userName', { userName: longUserName }),
  userCase('a 10,000-character displayName', {
    userName: 'long-name@example.com',
    displayName: 'Ω'.repeat(10_000),
  }),
  userCase('a title of 2,500 emoji', { userName: 'emoji-title@example.com', title: '🎉'.repeat(2_500) }),
  userCase('empty optional fields', {
    userName: 'empty-fields@example.com',
    email: '',
    givenName: '',
    title: '',
    employeeId: '',
  }),
  userCase('null optional fields', {
    userName: 'null-fields@example.com',
    email: null,
    familyName: null,
    department: null,
    active: null,
  }),
  userCase('whitespace-only optional fields', {
    userName: 'blank-fields@example.com',
    displayName: '   ',
    title: '\t',
  }),
  userCase(
    'empty userName',
    { id: SKIPPED_ID, userName: '', email: 'empty-username@example.com' },
    NO_USER_NAME,
  ),
  userCase('null userName', { userName: null, email: 'null-username@example.com' }, NO_USER_NAME),
  userCase(
    'whitespace-only userName',
    { userName: ' \t ', email: 'blank-username@example.com' },
    NO_USER_NAME,
  ),
  userCase('no userName at all', { givenName: 'Nameless' }, NO_USER_NAME),
  userCase('a user without email', { userName: 'no-email@example.com', givenName: 'Noemail' }),
  {
    name: 'duplicate userNames in the source',
    users: [user({ userName: 'twin@example.com' }), user({ userName: 'twin@example.com', title: 'Other' })],
    outcome: DUPLICATE,
  },
  {
    name: 'userNames that differ only in case',
    users: [user({ userName: 'Case@Example.com' }), user({ userName: 'case@example.com' })],
    outcome: DUPLICATE,
  },
  userCase('a numeric employeeId of 0', { userName: 'zero-id@example.com', employeeId: 0 }),
  userCase(
    'active given as the text "false", no account',
    { userName: 'inactive-text@example.com', active: 'false' },
    { kind: 'absent' },
  ),
  userCase('inactive, no account', { userName: 'inactive@example.com', active: false }, { kind: 'absent' }),
  userCase('quotes and a backslash in the source id', { id: 'ext"\\id', userName: 'quoted-id@example.com' }),
  userCase('URL syntax in the source id', { id: 'ext/../?x=1&y=%22#frag', userName: 'url-id@example.com' }),
  userCase('unicode in the source id', { id: 'идентификатор-🚀', userName: 'unicode-id@example.com' }),
  userCase('a plus sign in the userName', {
    userName: 'first+tag@example.com',
    email: 'first+tag@example.com',
  }),
  userCase('percent-encoding in the userName', { userName: '%22%20or%201%3D1@example.com' }),
  userCase('ampersand and equals sign', { userName: 'a&b=c;d@example.com' }),
  userCase('markup in the displayName', {
    userName: 'html@example.com',
    displayName: '<script>alert("x")</script>',
  }),
  userCase('tab and newline', { userName: 'tab\there@example.com', displayName: 'Line one\nLine two\r\n' }),
  userCase('SQL injection', { userName: "'; DROP TABLE users; --@example.com" }),
  userCase('JSON keyword values as text', {
    userName: 'null',
    givenName: 'true',
    familyName: 'false',
    title: '{"$ne": null}',
  }),
  userCase('leading and trailing spaces kept', { userName: '  padded@example.com  ' }),
  userCase('mathematical alphanumerics (surrogate pairs)', { userName: '𝓊𝓃𝒾𝒸ℴ𝒹ℯ@example.com' }),
  userCase('a quoted local part in the email', {
    userName: 'quoted-email@example.com',
    email: '"very.odd local"@example.com',
  }),
  groupCase(
    'quotes and a backslash in a group name',
    'g-quoted',
    'Field "Ops" \\ EMEA \'West\'',
    [bystander(0).id],
    [userNameOf(0)],
  ),
  groupCase(
    'or / and inside a group name',
    'g-words',
    'Sales and Marketing or Support',
    [bystander(1).id],
    [userNameOf(1)],
  ),
  groupCase(
    'emoji, CJK and RTL in a group name',
    'g-script',
    '🚀 チーム فريق',
    [bystander(2).id],
    [userNameOf(2)],
  ),
  groupCase(
    'a 10,000-character group name',
    'g-long',
    'G'.repeat(10_000),
    [bystander(3).id],
    [userNameOf(3)],
  ),
  {
    name: 'circular nested groups',
    groups: [
      {
        id: 'g-loop-a',
        displayName: 'Loop A',
        members: [bystander(0).id, 'g-loop-b'],
        expectedMembers: [userNameOf(0), userNameOf(1)],
      },
      {
        id: 'g-loop-b',
        displayName: 'Loop B',
        members: [bystander(1).id, 'g-loop-a'],
        expectedMembers: [userNameOf(0), userNameOf(1)],
      },
    ],
  },
  groupCase('a group that contains itself', 'g-self', 'Self', ['g-self', bystander(2).id], [userNameOf(2)]),
  groupCase(
    'members that name nothing',
    'g-ghosts',
    'Ghosts',
    ['ghost-1', '', bystander(3).id],
    [userNameOf(3)],
  ),
  groupCase('a member listed twice', 'g-twice', 'Twice', [bystander(4).id, bystander(4).id], [userNameOf(4)]),
  groupCase('a group without members', 'g-empty', 'Nobody', [], []),
  {
    name: 'two groups with the same name',
    groups: [
      {
        id: 'g-same-1',
        displayName: 'Same name',
        members: [bystander(0).id],
        expectedMembers: [userNameOf(0)],
      },
      {
        id: 'g-same-2',
        displayName: 'Same name',
        members: [bystander(1).id],
        expectedMembers: [userNameOf(1)],
      },
    ],
  },
  groupCase(
    'a member that is skipped',
    'g-with-skipped',
    'With skipped',
    [SKIPPED_ID, bystander(5).id],
    [userNameOf(5)],
  ),
  groupCase(
    'quotes, slashes and a hash in a group id',
    'g"\\/?#',
    'Hostile id',
    [bystander(5).id],
    [userNameOf(5)],
  ),
  { name: 'a chain of 30 nested groups', groups: chain },
];

const textOf = (value: string | number | boolean | null | undefined): string | undefined => {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

/** How a provisioned file user reads on the platform: empty and absent fields left out. */
export function expectedView(user: FileUser): UserView {
  const view: UserView = { userName: String(user.userName), externalId: String(user.id), active: true };
  const optional = {
    givenName: textOf(user.givenName),
    familyName: textOf(user.familyName),
    displayName: textOf(user.displayName),
    email: textOf(user.email),
    title: textOf(user.title),
    department: textOf(user.department),
    employeeNumber: textOf(user.employeeId),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(view, { [key]: value });
  }
  return view;
}
