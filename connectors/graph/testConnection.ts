import type { TokenCredential } from '@azure/identity';
import type { ConnectionCheck } from '../../src/model/source.js';
import { type ConnectionProbe, runProbes } from '../shared/connectionProbes.js';
import { graphPath } from './client.js';
import { GraphRequestError } from './errors.js';
import { resolveGroup } from './groupReferences.js';
import type { GraphReadContext } from './readContext.js';

/**
 * Like Entra's "Test Connection": a token first, then one small read per application permission
 * the scope mode needs, each a check of its own with a message that says what to fix.
 */
export async function testGraphConnection(
  context: GraphReadContext,
  credential: TokenCredential,
  scope: string,
): Promise<ConnectionCheck[]> {
  const { config, http } = context;
  try {
    await credential.getToken(scope);
  } catch (error) {
    return [{ name: 'token', ok: false, message: describeTokenFailure(error) }];
  }
  const checks: ConnectionCheck[] = [
    { name: 'token', ok: true, message: `app ${config.clientId} signed in to tenant ${config.tenantId}` },
  ];
  const probe = (permission: string, path: string, ok: string): ConnectionProbe => ({
    name: permission,
    permission,
    run: async () => {
      await http.get(path);
      return ok;
    },
  });
  const probes = [
    probe('User.Read.All', graphPath('/users', { $top: 1, $select: 'id' }), 'users can be read'),
    probe(
      'GroupMember.Read.All',
      graphPath('/groups', { $top: 1, $select: 'id' }),
      'groups and members can be read',
    ),
  ];
  if (config.scope.mode === 'assigned') {
    const id = config.scope.servicePrincipalId;
    probes.push(
      probe(
        'Application.Read.All',
        graphPath(`/servicePrincipals/${encodeURIComponent(id)}`, { $select: 'id,appDisplayName' }),
        `assignments of service principal ${id} can be read`,
      ),
    );
  }
  checks.push(
    ...(await runProbes(probes, (error, { permission }) => describeProbeFailure(permission, error))),
  );
  if (config.scope.mode === 'groups' && checks.every((check) => check.ok)) {
    checks.push(await scopeGroupsCheck(context, config.scope.groups));
  }
  return checks;
}

async function scopeGroupsCheck(
  context: GraphReadContext,
  references: readonly string[],
): Promise<ConnectionCheck> {
  const problems: string[] = [];
  for (const reference of references) {
    const resolution = await resolveGroup(context.http, reference);
    if (resolution.kind === 'missing') problems.push(`"${reference}" not found`);
    if (resolution.kind === 'ambiguous') problems.push(`"${reference}" names ${resolution.count} groups`);
  }
  return problems.length === 0
    ? { name: 'scope groups', ok: true, message: `${references.length} scope group(s) found` }
    : { name: 'scope groups', ok: false, message: problems.join('; ') };
}

const KNOWN_SIGN_IN_ERRORS: Readonly<Record<string, string>> = {
  '7000215':
    'the client secret is invalid: use the secret value (not its id) and check that it has not expired',
  '7000222': 'the client secret has expired: create a new one in the app registration',
  '700016':
    'the application (clientId) was not found in this tenant: check clientId and tenantId, and admin consent',
  '90002': 'the tenant was not found: check tenantId and authorityHost',
  '700027': 'the certificate assertion was refused: upload this certificate to the app registration',
};

/** Entra's AADSTS code turned into what to fix; the error text never holds the secret itself. */
export function describeTokenFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = /AADSTS(\d+)/.exec(text)?.[1];
  const known = code === undefined ? undefined : KNOWN_SIGN_IN_ERRORS[code];
  if (known) return `token request refused (AADSTS${code}): ${known}`;
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return `token request failed: ${firstLine.trim()}`;
}

function describeProbeFailure(permission: string, error: unknown): string {
  if (error instanceof GraphRequestError && error.isForbidden) {
    return `missing application permission ${permission} (Graph answered 403 ${error.code ?? ''}): grant it to the app and give admin consent`;
  }
  if (error instanceof GraphRequestError && error.isNotFound)
    return `${error.message}: check servicePrincipalId`;
  return error instanceof Error ? error.message : String(error);
}
