import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { DirectoryCounts } from '../emulators/graph/directory.js';
import type { GraphDirectorySpec } from '../emulators/graph/generator.js';
import type {
  AppliedChange,
  EmulatorAddresses,
  EmulatorCommand,
  EmulatorReply,
  EmulatorRequest,
  EmulatorWorkerData,
  ServedCalls,
} from './emulatorProtocol.js';
import { BENCH_TLS_DIR } from './figure.js';

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const CLIENT_ID = '66666666-7777-8888-9999-000000000000';
export const CLIENT_SECRET = 'bench-graph-client-secret';
export const SERVICE_PRINCIPAL_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';
export const SCIM_TOKEN = 'bench-scim-token';

/** The Graph and SCIM emulators in their own thread or process, seen from the side that syncs. */
export interface EmulatorHost extends EmulatorAddresses {
  calls(): Promise<ServedCalls>;
  resetCalls(): Promise<void>;
  clearPlatform(): Promise<void>;
  /** Makes `count` changes in the Entra directory, each costing one platform write. */
  change(count: number): Promise<AppliedChange[]>;
  directoryCounts(): Promise<DirectoryCounts>;
  close(): Promise<void>;
}

/**
 * Where the emulators run. A thread keeps the bench one process; a process of their own keeps
 * their memory out of the syncing process's resident set, for a bench that measures it.
 */
export type EmulatorPlacement = 'thread' | 'process';

interface EmulatorChannel {
  send(request: EmulatorRequest): void;
  onMessage(handle: (message: unknown) => void): void;
  onceMessage(handle: (message: unknown) => void): void;
  onceError(handle: (error: Error) => void): void;
  end(): Promise<void>;
}

export async function startEmulatorHost(
  directory: GraphDirectorySpec,
  placement: EmulatorPlacement = 'thread',
): Promise<EmulatorHost> {
  const data: EmulatorWorkerData = {
    tlsDir: BENCH_TLS_DIR,
    directory,
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    servicePrincipalId: SERVICE_PRINCIPAL_ID,
    scimToken: SCIM_TOKEN,
  };
  const channel = placement === 'thread' ? threadChannel(data) : processChannel(data);
  const addresses = await new Promise<EmulatorAddresses>((resolveReady, reject) => {
    channel.onceMessage((message) => resolveReady(message as EmulatorAddresses));
    channel.onceError(reject);
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  channel.onMessage((message) => {
    const reply = message as EmulatorReply;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if ('error' in reply) waiter?.reject(new Error(`emulator worker: ${reply.error}`));
    else waiter?.resolve(reply.result);
  });
  let nextId = 0;
  const send = <T>(command: EmulatorCommand): Promise<T> =>
    new Promise<T>((resolveReply, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolveReply(value as T), reject });
      channel.send({ id, command });
    });
  return {
    ...addresses,
    calls: () => send<ServedCalls>({ type: 'calls' }),
    resetCalls: () => send<void>({ type: 'resetCalls' }),
    clearPlatform: () => send<void>({ type: 'clearPlatform' }),
    change: (count) => send<AppliedChange[]>({ type: 'change', count }),
    directoryCounts: () => send<DirectoryCounts>({ type: 'counts' }),
    async close() {
      await send<void>({ type: 'close' });
      await channel.end();
    },
  };
}

const WORKER_SCRIPT = new URL('./emulatorWorker.js', import.meta.url);

function threadChannel(data: EmulatorWorkerData): EmulatorChannel {
  const worker = new Worker(WORKER_SCRIPT, { workerData: data });
  return {
    send: (request) => worker.postMessage(request),
    onMessage: (handle) => worker.on('message', handle),
    onceMessage: (handle) => worker.once('message', handle),
    onceError: (handle) => worker.once('error', handle),
    end: async () => {
      await worker.terminate();
    },
  };
}

function processChannel(data: EmulatorWorkerData): EmulatorChannel {
  // No inherited flags: a profiled case profiles itself, not its emulators.
  const child = fork(WORKER_SCRIPT, [], { execArgv: [], serialization: 'advanced', stdio: 'inherit' });
  child.send(data);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  return {
    send: (request) => child.send(request),
    onMessage: (handle) => child.on('message', handle),
    onceMessage: (handle) => child.once('message', handle),
    onceError: (handle) => child.once('error', handle),
    end: async () => {
      child.disconnect();
      // Its servers are closed by now; a socket still open must not keep the bench waiting.
      const stuck = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(stuck);
    },
  };
}
