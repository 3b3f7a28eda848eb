import type { ConnectionCheck } from '../../src/model/source.js';

/** One cheap call that shows one permission works; it answers what it saw. */
export interface ConnectionProbe {
  readonly name: string;
  /** What the probe needs, for the message that says what to grant when it is refused. */
  readonly permission: string;
  readonly run: () => Promise<string>;
}

/**
 * Each probe in turn (one at a time: a refused credential should not cost a burst of calls), each
 * a check of its own; a refusal is a failed check with what to fix, never a thrown error.
 */
export async function runProbes(
  probes: readonly ConnectionProbe[],
  describeFailure: (error: unknown, probe: ConnectionProbe) => string,
): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [];
  for (const probe of probes) {
    try {
      checks.push({ name: probe.name, ok: true, message: await probe.run() });
    } catch (error) {
      checks.push({ name: probe.name, ok: false, message: describeFailure(error, probe) });
    }
  }
  return checks;
}
