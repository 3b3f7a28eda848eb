import { opTotals, type RunRecord } from '../model/run.js';
import { isTerminal } from './terminal.js';

/** Ops finished this long ago no longer count towards the rate: it follows the run's current pace. */
const RATE_WINDOW_MS = 10_000;
/** Redraws at most this often; a change of phase or status is drawn at once. */
const REDRAW_MS = 100;
/** A run still queued after this long has most likely no worker to take it. */
const UNTAKEN_HINT_MS = 15_000;

interface Sample {
  readonly at: number;
  readonly finished: number;
}

/** `0:07`, `12:30`, `1:02:03`. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const count = (value: number) => value.toLocaleString('en-US');

/**
 * What a run is doing, in one line: `[acme] running users · 1,200/5,000 ops 24% · 310 ops/s ·
 * ETA 0:13 · 2 failed · 0:41`. Rate and ETA once ops have been finishing for a moment.
 */
export function progressText(record: RunRecord, elapsedMs: number, opsPerSecond: number | undefined): string {
  const { planned, finished, failed } = opTotals(record.counts);
  const parts = [
    `[${record.tenant}] ${record.status}${record.phase && record.phase !== 'done' ? ` ${record.phase}` : ''}`,
  ];
  if (planned > 0) {
    parts.push(`${count(finished)}/${count(planned)} ops ${Math.floor((finished / planned) * 100)}%`);
    if (opsPerSecond !== undefined && opsPerSecond > 0) {
      parts.push(`${count(Math.round(opsPerSecond))} ops/s`);
      if (finished < planned) parts.push(`ETA ${clock(((planned - finished) / opsPerSecond) * 1000)}`);
    }
    if (failed > 0) parts.push(`${count(failed)} failed`);
  } else if (record.source) {
    parts.push(`read ${count(record.source.users)} users, ${count(record.source.groups)} groups`);
  }
  parts.push(`${count(record.apiCalls.source + record.apiCalls.target)} API calls`, clock(elapsedMs));
  return parts.join(' · ');
}

/** One line on stderr at a terminal, rewritten in place; nothing at all when stderr is not one. */
export class StatusLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #on: boolean;
  #drawn = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream;
    this.#on = isTerminal(stream);
  }

  get on(): boolean {
    return this.#on;
  }

  draw(text: string): void {
    if (!this.#on) return;
    // A line longer than the terminal wraps, and the next redraw would leave its first half behind.
    const room = (this.#stream.columns || 80) - 1;
    const shown = text.length > room ? `${text.slice(0, room - 1)}…` : text;
    this.#stream.write(`\r\x1b[2K${shown}`);
    this.#drawn = true;
  }

  /** Leaves the last line standing and moves on: what follows starts on a line of its own. */
  end(): void {
    if (this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }
}

/**
 * Follows a run for a person: done/total, rate and ETA on a status line at a terminal. Piped, it
 * draws nothing, and only says so when a queued run is not taken by any worker.
 */
export class RunProgress {
  readonly #line = new StatusLine();
  readonly #started = Date.now();
  #samples: Sample[] = [];
  #lastDrawn = 0;
  #lastState = '';
  #hinted = false;

  /** Whether it draws anything: only at a terminal. */
  get on(): boolean {
    return this.#line.on;
  }

  /** Takes a reading of the run record. */
  readonly update = (record: RunRecord): void => {
    const now = Date.now();
    this.#hintWhenUntaken(record, now);
    if (!this.#line.on) return;
    const { finished } = opTotals(record.counts);
    this.#samples.push({ at: now, finished });
    this.#samples = this.#samples.filter((sample) => now - sample.at <= RATE_WINDOW_MS);
    const state = `${record.status} ${record.phase ?? ''}`;
    if (state === this.#lastState && now - this.#lastDrawn < REDRAW_MS) return;
    this.#lastState = state;
    this.#lastDrawn = now;
    this.#line.draw(progressText(record, now - this.#started, this.#rate()));
  };

  end(): void {
    this.#line.end();
  }

  #rate(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 500 || last.finished <= first.finished) return undefined;
    return ((last.finished - first.finished) / (last.at - first.at)) * 1000;
  }

  #hintWhenUntaken(record: RunRecord, now: number): void {
    if (this.#hinted || record.status !== 'queued' || now - this.#started <= UNTAKEN_HINT_MS) return;
    this.#hinted = true;
    this.#line.end();
    process.stderr.write(
      `no worker has taken run ${record.id} yet: is \`dirsync start\` running against this Redis? (\`--inline\` runs it here)\n`,
    );
  }
}

/** Something without a count to show (provisioning a few subjects): what it is and how long it has taken. */
export function activity(label: string): { stop(): void } {
  const line = new StatusLine();
  if (!line.on) return { stop() {} };
  const started = Date.now();
  const draw = () => line.draw(`${label} · ${clock(Date.now() - started)}`);
  draw();
  let timer: NodeJS.Timeout | undefined = setInterval(draw, 250);
  return {
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      // Nothing worth keeping on screen: the answer follows.
      process.stderr.write('\r\x1b[2K');
    },
  };
}
