import { join } from 'node:path';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { BENCH_TLS_DIR, emitFigure, progress, runCase } from './figure.js';
import { fleetFigures } from './fleet/fleetFigures.js';
import { runFleet } from './fleet/fleetRun.js';

/**
 * Child process of `npm run bench -- fleet`: a thousand tenants on the cluster for 30 minutes
 * (`FLEET_TENANTS`, `FLEET_GRAPH_TENANTS`, `FLEET_MINUTES` change it; the CI test runs 100 for 5).
 */
async function main(): Promise<void> {
  const tenants = positive('FLEET_TENANTS', 1000);
  const options = {
    tenants,
    graphTenants: positive('FLEET_GRAPH_TENANTS', Math.round(tenants / 50)),
    durationMs: positive('FLEET_MINUTES', 30) * 60_000,
    killAt: 0.5,
    seed: 16,
    users: { min: 50, max: 500 },
    idleMs: 30_000,
  };
  const result = await runFleet({
    ...options,
    certificates: ensureDevCertificates(BENCH_TLS_DIR),
    folder: join(process.cwd(), '.tmp', 'fleet'),
    progress,
  });
  for (const figure of fleetFigures(result)) emitFigure(figure);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number of at least 0, not "${raw}"`);
  return value;
}

runCase(main);
