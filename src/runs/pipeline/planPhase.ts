import { changesBetween, computeDesired, type Focus, planFocused, planFull } from '../../engine/index.js';
import type { Plan } from '../../model/plan.js';
import type { PlatformState } from '../../model/scim.js';
import { readFocusedPlatform } from '../focusedPlatformRead.js';
import { nextStep, type RunContext } from './context.js';
import { type ImportedSource, readWholePlatform } from './importPhase.js';

/**
 * Decides the run's ops: a full run against the whole platform, an incremental run against the
 * platform objects its changes (and the objects left for retry) touch.
 */
export async function planPhase(run: RunContext, imported: ImportedSource): Promise<Plan> {
  const plan = await planRun(run, imported);
  nextStep(run.deps);
  return plan;
}

async function planRun(run: RunContext, imported: ImportedSource): Promise<Plan> {
  const { stores, runtime } = run.deps;
  const { tenant } = run;
  const { previous, platform } = imported;
  const settings = runtime.settings;
  const desired = computeDesired(imported.snapshot, settings);
  const owned = await stores.state.owned(tenant);

  if (imported.mode === 'full' || !previous) {
    const state = await (imported.platformRead ?? readWholePlatform(platform));
    await rememberLinks(run, state);
    return planFull({ desired, platform: state, owned, settings });
  }

  const before = computeDesired(previous.snapshot, settings);
  const changes = changesBetween(before, desired);
  const retries = await stores.state.takeRetries(tenant);
  const focus: Focus = {
    ...changes,
    userIds: new Set([...changes.userIds, ...retries.users]),
    groupIds: new Set([...changes.groupIds, ...retries.groups]),
  };
  return planFocused({
    desired,
    platform: await readFocusedPlatform(platform, desired, focus, settings.matching),
    owned,
    settings,
    focus,
    managedUserCount: owned.users.size,
  });
}

async function rememberLinks(run: RunContext, state: PlatformState): Promise<void> {
  const users = new Map(
    state.users.flatMap((user) => (user.externalId ? [[user.externalId, user.id] as const] : [])),
  );
  const groups = new Map(
    state.groups.flatMap((group) => (group.externalId ? [[group.externalId, group.id] as const] : [])),
  );
  await run.deps.stores.state.rememberLinks(run.tenant, 'user', users);
  await run.deps.stores.state.rememberLinks(run.tenant, 'group', groups);
}
