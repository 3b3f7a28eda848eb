import type { ConnectionCheck } from '../../src/model/source.js';
import { type ConnectionProbe, runProbes } from '../shared/connectionProbes.js';
import { OktaTokenRequestError, oktaFailureOf } from './errors.js';
import { readFirst } from './paging.js';
import { type OktaContext, scopedAppId } from './readContext.js';
import { OKTA_READ_SCOPES } from './scopes.js';

/**
 * Like Entra's "Test Connection": one cheap read per permission dirsync needs, each reported on
 * its own line with what to grant when it is refused. /api/v1/users/me is not a probe: service
 * apps and some API tokens may not call it although they can read the directory.
 */
export async function testOktaConnection(context: OktaContext): Promise<ConnectionCheck[]> {
  const { client } = context;
  const appId = scopedAppId(context.config);
  const probes: ConnectionProbe[] = [
    {
      name: 'read users',
      permission: 'okta.users.read',
      run: async () => {
        await readFirst(await client.userApi.listUsers({ limit: 1 }));
        return 'users can be read';
      },
    },
    {
      name: 'read groups',
      permission: 'okta.groups.read',
      run: async () => {
        await readFirst(await client.groupApi.listGroups({ limit: 1 }));
        return 'groups can be read';
      },
    },
    ...(appId === undefined
      ? []
      : [
          {
            name: 'read app assignments',
            permission: 'okta.apps.read',
            run: async () => {
              const app = await client.applicationApi.getApplication({ appId });
              return `app ${appId} (${String((app as { label?: unknown }).label ?? 'no label')}) found`;
            },
          },
        ]),
    {
      name: 'read System Log',
      permission: 'okta.logs.read',
      run: async () => {
        await readFirst(await client.systemLogApi.listLogEvents({ limit: 1 }));
        return 'the System Log can be read (incremental runs)';
      },
    },
  ];
  const checks = await runProbes(probes, (error, probe) => describeFailure(error, probe.permission, appId));
  return [credentialsCheck(checks), ...checks];
}

/** Credentials are fine when any probe got past authentication. */
function credentialsCheck(checks: readonly ConnectionCheck[]): ConnectionCheck {
  const rejected = checks.find((check) => check.message.startsWith('credentials rejected'));
  return rejected && checks.every((check) => !check.ok)
    ? { name: 'credentials', ok: false, message: rejected.message }
    : { name: 'credentials', ok: true, message: 'credentials accepted' };
}

function describeFailure(error: unknown, scope: string, appId: string | undefined): string {
  const failure = oktaFailureOf(error);
  const code = failure.errorCode ? ` ${failure.errorCode}` : '';
  if (error instanceof OktaTokenRequestError) {
    return `credentials rejected: ${error.message}; check clientId, the public key registered for the app (keyId) and that ${OKTA_READ_SCOPES.join(', ')} are granted`;
  }
  if (failure.status === 401)
    return `credentials rejected (HTTP 401${code}): the token is invalid or expired`;
  if (failure.status === 403) {
    return `permission missing (HTTP 403${code}): grant ${scope} to the service app (or a read-only admin role to the API token's owner)`;
  }
  if (failure.status === 404 && appId !== undefined && scope === 'okta.apps.read') {
    return `app ${appId} not found`;
  }
  if (failure.status !== undefined) {
    return `Okta answered HTTP ${failure.status}${code}${failure.errorSummary ? `: ${failure.errorSummary}` : ''}`;
  }
  return `Okta unreachable: ${error instanceof Error ? error.message : String(error)}`;
}
