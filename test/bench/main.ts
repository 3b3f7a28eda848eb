import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type EmbeddedRedis, startEmbeddedRedis } from '../support/embeddedRedis.js';
import { BENCH_TLS_DIR, emitFigure, type Figure, progress } from './figure.js';

/**
 * `npm run bench [-- NAME...]`: runs the benchmarks (README, "Development") and prints one JSON figure per line.
 * Each case runs in a child process, so peak RSS is its own and the SDKs trust the dev CA
 * (NODE_EXTRA_CA_CERTS is read only when a process starts).
 */
const PLAN_SIZES = [
  { users: 10_000, groups: 1_000, memberships: 100_000 },
  { users: 100_000, groups: 10_000, memberships: 1_000_000 },
] as const;
const PLAN_CHANGED = [0, 0.1] as const;
/** Ten times the data should cost about ten times the time; above this the planner is not linear. */
const MAX_PLAN_RATIO = 13;
/** The 100,000-user tenant of `big`, and the tenant a tenth its size it is compared with. */
const BIG_SIZES = [
  { users: 10_000, groups: 1_000, memberships: 100_000 },
  { users: 100_000, groups: 10_000, memberships: 1_000_000 },
] as const;
const BIG_PHASES = ['big-full', 'big-zero-change', 'big-incremental'] as const;
/** What each `big` phase figure is compared on, small against large. */
const BIG_MEASURES = [
  'ms',
  'peakRssMb',
  'sourceCalls',
  'requestsInBatches',
  'targetCalls',
  'targetWrites',
] as const;

interface BenchContext {
  readonly env: NodeJS.ProcessEnv;
}

type Bench = (context: BenchContext) => Promise<void>;

const BENCHES: Readonly<Record<string, Bench>> = {
  plan: runPlanBench,
  big: runBigBench,
  sync: (context) => runChild(context, 'syncCase.js').then(() => undefined),
  incremental: (context) => runChild(context, 'incrementalCase.js').then(() => undefined),
  enqueue: (context) => runChild(context, 'enqueueCase.js').then(() => undefined),
  fleet: (context) => runChild(context, 'fleetCase.js').then(() => undefined),
};

/** Benchmarks too long for the default list (minutes each; the fleet half an hour): they run only when named. */
const ONLY_WHEN_NAMED: ReadonlySet<string> = new Set(['big', 'fleet']);

class CaseFailedError extends Error {
  override readonly name = 'CaseFailedError';
}

/** Runs one case script; its figures are passed on to stdout as they come, and returned. */
function runChild(
  context: BenchContext,
  script: string,
  args: readonly string[] = [],
  nodeFlags: readonly string[] = [],
): Promise<Figure[]> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [...nodeFlags, path, ...args], {
    env: context.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const figures: Figure[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.trim() === '') return;
    try {
      const figure = JSON.parse(line) as Figure;
      figures.push(figure);
      emitFigure(figure);
    } catch {
      process.stderr.write(`${line}\n`);
    }
  });
  return new Promise((resolveFigures, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolveFigures(figures);
      else reject(new CaseFailedError(`${script} ${args.join(' ')} exited with ${code}`));
    });
  });
}

async function runPlanBench(context: BenchContext): Promise<void> {
  for (const changed of PLAN_CHANGED) {
    const timings: number[] = [];
    for (const size of PLAN_SIZES) {
      const args = [size.users, size.groups, size.memberships, changed].map(String);
      const [figure] = await runChild(context, 'planCase.js', args, ['--expose-gc']);
      timings.push(Number(figure?.ms));
    }
    const [smallMs = Number.NaN, largeMs = Number.NaN] = timings;
    const ratio = Number((largeMs / smallMs).toFixed(1));
    emitFigure({
      bench: 'plan-ratio',
      changed,
      users: PLAN_SIZES.map((size) => size.users),
      ms: timings,
      ratio,
      target: { ratio: MAX_PLAN_RATIO },
      ok: ratio <= MAX_PLAN_RATIO,
    });
  }
}

/**
 * Each size in a process of its own (its peak RSS is the syncing side's alone), then each phase's
 * figures side by side with their ratio: linear is 10×. The phase's own targets and verdict are
 * the 100,000-user tenant's.
 */
async function runBigBench(context: BenchContext): Promise<void> {
  const runs: Figure[][] = [];
  for (const size of BIG_SIZES) {
    runs.push(await runChild(context, 'bigCase.js', [size.users, size.groups, size.memberships].map(String)));
  }
  const [small = [], large = []] = runs;
  for (const phase of BIG_PHASES) {
    const pair = [small, large].map((figures) => figures.find((figure) => figure.bench === phase));
    const [smaller, larger] = pair;
    if (smaller === undefined || larger === undefined) continue;
    const compared: Record<string, unknown> = {};
    for (const measure of BIG_MEASURES) {
      if (typeof smaller[measure] !== 'number' || typeof larger[measure] !== 'number') continue;
      const [a, b] = [smaller[measure], larger[measure]];
      compared[measure] = [a, b];
      compared[`${measure}Ratio`] = a === 0 ? null : Number((b / a).toFixed(1));
    }
    emitFigure({
      bench: `${phase}-scale`,
      users: pair.map((figure) => figure?.users),
      ...compared,
      target: larger.target,
      ok: larger.ok && smaller.ok,
    });
  }
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`,
    );
    return 2;
  }
  const names =
    requested.length > 0 ? requested : Object.keys(BENCHES).filter((name) => !ONLY_WHEN_NAMED.has(name));
  const certificates = ensureDevCertificates(BENCH_TLS_DIR);
  let redis: EmbeddedRedis | undefined;
  if (!process.env.REDIS_URL) redis = await startEmbeddedRedis();
  const context: BenchContext = {
    env: {
      ...process.env,
      REDIS_URL: process.env.REDIS_URL ?? redis?.url,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    },
  };
  let failed = 0;
  try {
    for (const name of names) {
      progress(`${name}: starting`);
      try {
        await BENCHES[name]?.(context);
      } catch (error) {
        failed++;
        progress(`${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await redis?.stop();
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
