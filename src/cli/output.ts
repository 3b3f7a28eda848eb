import type { RunRecord } from '../model/run.js';
import { EXIT } from './errors.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printText(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Exit code 1 when the work ran but something failed — a held run applied nothing, so it counts too. */
export function exitCodeFor(record: RunRecord): number {
  return record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}
