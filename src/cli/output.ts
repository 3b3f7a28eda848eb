import type { RunRecord } from '../model/run.js';
import { EXIT } from './errors.js';
import { progressLine } from './render.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printText(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** SPEC §4: 1 when the work ran but something failed — a held run applied nothing, so it counts too. */
export function exitCodeFor(record: RunRecord): number {
  return record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

/** A progress line on stderr: rewritten in place on a terminal, one line per change otherwise. */
export function progressReporter(): (record: RunRecord) => void {
  let last = '';
  let lastPrinted = 0;
  const tty = process.stderr.isTTY;
  return (record) => {
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
