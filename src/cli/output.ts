import type { RunRecord } from '../model/run.js';
import { EXIT } from './errors.js';
import { progressLine } from './render.js';

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

/** A progress line on stderr: rewritten in place on a terminal, one line per change otherwise. */
/** A run still queued after this long has most likely no worker to take it. */
const UNTAKEN_HINT_MS = 15_000;

export function progressReporter(): (record: RunRecord) => void {
  let last = '';
  let lastPrinted = 0;
  let hinted = false;
  const started = Date.now();
  const tty = process.stderr.isTTY;
  return (record) => {
    if (!hinted && record.status === 'queued' && Date.now() - started > UNTAKEN_HINT_MS) {
      hinted = true;
      process.stderr.write(
        `\nno worker has taken run ${record.id} yet: is \`dirsync start\` running against this Redis? (\`--inline\` runs it here)\n`,
      );
    }
    const line = progressLine(record);
    if (line === last) return;
    if (!tty && Date.now() - lastPrinted < 2000 && record.phase !== 'done') return;
    last = line;
    lastPrinted = Date.now();
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
}

export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
