import type { AppUserScope, LogEventEntry, OrgApp, OrgGroup, OrgUser } from './org.js';

/** The org's objects as Okta's Management API writes them. */
const iso = (at: number) => new Date(at).toISOString();

export function userJson(user: OrgUser, origin: string): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: iso(user.created),
    activated: user.status === 'STAGED' ? null : iso(user.created),
    statusChanged: iso(user.statusChanged),
    lastLogin: null,
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: null,
    type: { id: 'oty000000000000000000' },
    profile: { ...user.profile },
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${origin}/api/v1/users/${user.id}` } },
  };
}

export function groupJson(group: OrgGroup, origin: string): Record<string, unknown> {
  return {
    id: group.id,
    created: iso(group.created),
    lastUpdated: iso(group.lastUpdated),
    lastMembershipUpdated: iso(group.lastMembershipUpdated),
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: { name: group.name, description: group.description ?? null },
    _links: {
      self: { href: `${origin}/api/v1/groups/${group.id}` },
      users: { href: `${origin}/api/v1/groups/${group.id}/users` },
    },
  };
}

export function appJson(app: OrgApp, origin: string): Record<string, unknown> {
  return {
    id: app.id,
    name: 'bookmark',
    label: app.label,
    status: 'ACTIVE',
    signOnMode: 'BOOKMARK',
    created: iso(app.created),
    lastUpdated: iso(app.created),
    settings: { app: { url: 'https://platform.example.com', requestIntegration: false } },
    _links: {
      users: { href: `${origin}/api/v1/apps/${app.id}/users` },
      groups: { href: `${origin}/api/v1/apps/${app.id}/groups` },
    },
  };
}

export function appUserJson(
  app: OrgApp,
  user: OrgUser,
  scope: AppUserScope,
  origin: string,
): Record<string, unknown> {
  return {
    id: user.id,
    externalId: null,
    created: iso(app.created),
    lastUpdated: iso(user.lastUpdated),
    scope,
    status: 'PROVISIONED',
    statusChanged: iso(user.statusChanged),
    syncState: 'DISABLED',
    credentials: { userName: user.profile.login ?? user.id },
    profile: {},
    _links: {
      app: { href: `${origin}/api/v1/apps/${app.id}` },
      user: { href: `${origin}/api/v1/users/${user.id}` },
    },
  };
}

export function appGroupJson(app: OrgApp, group: OrgGroup, origin: string): Record<string, unknown> {
  return {
    id: group.id,
    lastUpdated: iso(group.lastUpdated),
    priority: 0,
    profile: {},
    _links: {
      app: { href: `${origin}/api/v1/apps/${app.id}` },
      group: { href: `${origin}/api/v1/groups/${group.id}` },
    },
  };
}

export function logEventJson(event: LogEventEntry): Record<string, unknown> {
  return {
    uuid: event.uuid,
    published: iso(event.published),
    eventType: event.eventType,
    version: '0',
    severity: 'INFO',
    legacyEventType: null,
    displayMessage: event.eventType,
    actor: {
      id: '00uemulatedadmin0001',
      type: 'User',
      alternateId: 'admin@example.com',
      displayName: 'Admin',
    },
    outcome: { result: 'SUCCESS', reason: null },
    target: event.target.map((target) => ({ ...target, detailEntry: null })),
  };
}
