import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** A long-running `dirsync` process of the built CLI, as an operator starts it. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once its output matches, or rejects when it exits or the time is up. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  kill(): void;
}

export function startServiceProcess(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): ServiceProcess {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, DIRSYNC_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  return {
    name,
    pid: child.pid ?? -1,
    output: () => text,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (child.exitCode !== null)
          throw new Error(`${name} exited (${child.exitCode}) before ${pattern}:\n${text}`);
        if (Date.now() > deadline)
          throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${text}`);
        await new Promise((wake) => setTimeout(wake, 50));
      }
    },
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
