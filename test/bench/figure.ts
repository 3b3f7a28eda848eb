import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * One measured figure, printed as one JSON line on stdout. Every figure says what it aimed at
 * (`target`) and whether it got there (`ok`), so a reader of the output needs nothing else.
 */
export interface Figure {
  readonly bench: string;
  readonly target: Readonly<Record<string, number>>;
  readonly ok: boolean;
  readonly [measure: string]: unknown;
}

/** Where main.ts keeps the development CA and server certificate that every bench process shares. */
export const BENCH_TLS_DIR = join(process.cwd(), '.tmp', 'tls');

export function emitFigure(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Progress goes to stderr, so stdout stays one figure per line. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ readonly value: T; readonly ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

export function megabytes(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

/** The Redis the bench processes share; main.ts provides it. */
export function benchRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the benchmarks through `npm run bench`');
  return url;
}

/** Runs a bench case's entry point and exits, so open sockets or timers cannot keep the process alive. */
export function runCase(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
