import { Worker } from 'node:worker_threads';
import type { GraphDirectorySpec } from '../emulators/graph/generator.js';
import type {
  AppliedChange,
  EmulatorAddresses,
  EmulatorCommand,
  EmulatorReply,
  EmulatorWorkerData,
  ServedCalls,
} from './emulatorProtocol.js';
import { BENCH_TLS_DIR } from './figure.js';

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const CLIENT_ID = '66666666-7777-8888-9999-000000000000';
export const CLIENT_SECRET = 'bench-graph-client-secret';
export const SERVICE_PRINCIPAL_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';
export const SCIM_TOKEN = 'bench-scim-token';

/** The Graph and SCIM emulators in their own thread, seen from the thread that syncs. */
export interface EmulatorHost extends EmulatorAddresses {
  calls(): Promise<ServedCalls>;
  resetCalls(): Promise<void>;
  clearPlatform(): Promise<void>;
  /** Makes `count` changes in the Entra directory, each costing one platform write. */
  change(count: number): Promise<AppliedChange[]>;
  close(): Promise<void>;
}

export async function startEmulatorHost(directory: GraphDirectorySpec): Promise<EmulatorHost> {
  const worker = new Worker(new URL('./emulatorWorker.js', import.meta.url), {
    workerData: {
      tlsDir: BENCH_TLS_DIR,
      directory,
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      servicePrincipalId: SERVICE_PRINCIPAL_ID,
      scimToken: SCIM_TOKEN,
    } satisfies EmulatorWorkerData,
  });
  const addresses = await new Promise<EmulatorAddresses>((resolveReady, reject) => {
    worker.once('message', resolveReady);
    worker.once('error', reject);
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  worker.on('message', (reply: EmulatorReply) => {
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
      worker.postMessage({ id, command });
    });
  return {
    ...addresses,
    calls: () => send<ServedCalls>({ type: 'calls' }),
    resetCalls: () => send<void>({ type: 'resetCalls' }),
    clearPlatform: () => send<void>({ type: 'clearPlatform' }),
    change: (count) => send<AppliedChange[]>({ type: 'change', count }),
    async close() {
      await send<void>({ type: 'close' });
      await worker.terminate();
    },
  };
}
