import { readFileSync } from 'node:fs';
import { type ServiceProcess, startServiceProcess } from '../../service/serviceProcess.js';

export type FleetRole = 'worker' | 'scheduler' | 'api';

/** The fleet's `dirsync start --role …` processes, and the CPU each worker process spent. */
export interface FleetProcesses {
  start(role: FleetRole, name: string): Promise<ServiceProcess>;
  /** SIGKILLs the named process, keeping the CPU it had spent. */
  kill(name: string): Promise<void>;
  /** Stops every process of `role` with SIGTERM, keeping what each worker spent. */
  stop(role: FleetRole): Promise<void>;
  /** CPU seconds every worker process spent, the dead and stopped ones included. */
  workerCpuSeconds(): number;
  output(name: string): string;
  killAll(): void;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/** User plus system CPU seconds a live process has spent, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in parentheses may hold spaces; the fields after it are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime = '0', stime = '0'] = fields.slice(11, 13);
  return (Number(utime) + Number(stime)) / CLOCK_TICKS;
}

export function fleetProcesses(configFile: string, env: NodeJS.ProcessEnv): FleetProcesses {
  const running = new Map<string, { readonly role: FleetRole; readonly process: ServiceProcess }>();
  const ended = new Map<string, string>();
  let endedWorkerCpu = 0;
  const retire = (name: string) => {
    const entry = running.get(name);
    if (!entry) return undefined;
    if (entry.role === 'worker') endedWorkerCpu += processCpuSeconds(entry.process.pid);
    running.delete(name);
    ended.set(name, entry.process.output());
    return entry.process;
  };
  return {
    async start(role, name) {
      const child = startServiceProcess(name, ['start', '--role', role, '--config', configFile], env);
      running.set(name, { role, process: child });
      await child.waitFor(/dirsync started/, 600_000);
      return child;
    },
    async kill(name) {
      retire(name)?.kill();
    },
    async stop(role) {
      const stopping = [...running].filter(([, entry]) => entry.role === role);
      // Read the CPU before SIGTERM: once a process has exited, /proc no longer has it.
      const children = stopping.map(([name]) => retire(name)!);
      await Promise.all(children.map((child) => child.stop(60_000)));
    },
    workerCpuSeconds() {
      let total = endedWorkerCpu;
      for (const entry of running.values())
        if (entry.role === 'worker') total += processCpuSeconds(entry.process.pid);
      return total;
    },
    output: (name) => running.get(name)?.process.output() ?? ended.get(name) ?? '',
    killAll() {
      for (const entry of running.values()) entry.process.kill();
      running.clear();
    },
  };
}
