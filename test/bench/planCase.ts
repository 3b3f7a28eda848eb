import { performance } from 'node:perf_hooks';
import { computeDesired, planFull } from '../../src/engine/index.js';
import { emitFigure, megabytes, progress, runCase } from './figure.js';
import { startRssSampler } from './rssSampler.js';
import { syntheticWorld } from './syntheticWorld.js';

/** Planning 100k users stays in seconds and hundreds of MB. */
const PLAN_TARGET = { ms: 3_000, rssMb: 600 } as const;
/** Only the 100k case is held to the target; smaller ones are measured for the linearity ratio. */
const TARGETED_USERS = 100_000;

/** Child process: `node planCase.js USERS GROUPS MEMBERSHIPS CHANGED`, one figure on stdout. */
async function main(): Promise<void> {
  const [users, groups, memberships, changed] = process.argv.slice(2).map(Number);
  if (users === undefined || groups === undefined || memberships === undefined || changed === undefined)
    throw new Error('usage: planCase USERS GROUPS MEMBERSHIPS CHANGED');
  const world = syntheticWorld({ users, groups, memberships, changed });
  // The input stays resident, as it does in a run; the garbage of building it should not count.
  globalThis.gc?.();
  const inputRss = process.memoryUsage.rss();
  progress(`plan: ${users} users, ${world.memberships} memberships, ${changed * 100}% changed`);

  const sampler = await startRssSampler();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const desired = computeDesired(world.snapshot, world.settings);
  const plan = planFull({ desired, platform: world.platform, owned: world.owned, settings: world.settings });
  const ms = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = megabytes(await sampler.stop());

  const targeted = users >= TARGETED_USERS;
  emitFigure({
    bench: 'plan',
    users,
    groups,
    memberships: world.memberships,
    changed,
    ms,
    // On a shared machine wall time includes waiting for a core; CPU time does not (GC threads add to it).
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb,
    inputRssMb: megabytes(inputRss),
    ops: { user: plan.userOps.length, group: plan.groupOps.length, problems: plan.problems.length },
    target: targeted ? PLAN_TARGET : {},
    ok: !targeted || (ms <= PLAN_TARGET.ms && peakRssMb <= PLAN_TARGET.rssMb),
  });
}

runCase(main);
