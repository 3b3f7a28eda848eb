import { parentPort, workerData } from 'node:worker_threads';
import { generateGraphDirectory } from '../emulators/graph/generator.js';
import { startGraphEmulator } from '../emulators/graph/server.js';
import { startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { applyDirectoryChanges } from './directoryChanges.js';
import type {
  EmulatorAddresses,
  EmulatorCommand,
  EmulatorReply,
  EmulatorRequest,
  EmulatorWorkerData,
  ServedCalls,
} from './emulatorProtocol.js';

/** How this side talks to emulatorHost.ts: a worker thread's port, or a forked process's IPC channel. */
interface HostChannel {
  post(message: EmulatorAddresses | EmulatorReply): void;
  onRequest(handle: (request: EmulatorRequest) => void): void;
  close(): void;
}

/** The Graph and SCIM emulators, driven by messages from emulatorHost.ts. */
async function serve(data: EmulatorWorkerData, channel: HostChannel): Promise<void> {
  const certificates = ensureDevCertificates(data.tlsDir);
  const graph = await startGraphEmulator({
    certificates,
    tenantId: data.tenantId,
    clientId: data.clientId,
    clientSecret: data.clientSecret,
    servicePrincipalId: data.servicePrincipalId,
    directory: generateGraphDirectory(data.directory),
  });
  const scim = await startScimEmulator({ certificates, token: data.scimToken });

  const perform = async (command: EmulatorCommand): Promise<unknown> => {
    switch (command.type) {
      case 'calls':
        return {
          graph: graph.server.calls,
          graphBatched: graph.batchedCalls,
          scim: scim.server.calls,
        } satisfies ServedCalls;
      case 'resetCalls':
        graph.server.resetCalls();
        scim.server.resetCalls();
        return undefined;
      case 'clearPlatform':
        scim.store.clear();
        graph.server.resetCalls();
        scim.server.resetCalls();
        return undefined;
      case 'change':
        return applyDirectoryChanges(graph.directory, command.count);
      case 'counts':
        return graph.directory.counts();
      case 'close':
        await Promise.all([graph.close(), scim.close()]);
        channel.close();
        return undefined;
    }
  };
  channel.onRequest((request) => {
    perform(request.command).then(
      (result) => channel.post({ id: request.id, result }),
      (error: unknown) => channel.post({ id: request.id, error: String(error) }),
    );
  });
  channel.post({
    graphBaseUrl: graph.graphBaseUrl,
    authorityHost: graph.authorityHost,
    scimUrl: scim.url,
  });
}

if (parentPort) {
  const port = parentPort;
  void serve(workerData as EmulatorWorkerData, {
    post: (message) => port.postMessage(message),
    onRequest: (handle) => port.on('message', handle),
    close: () => port.close(),
  });
} else if (process.send) {
  // A forked process is sent its data first, then requests.
  process.once('message', (data: EmulatorWorkerData) => {
    void serve(data, {
      post: (message) => process.send?.(message),
      onRequest: (handle) => process.on('message', handle),
      // The host disconnects once it has the answer to `close`; the process then ends.
      close: () => undefined,
    });
  });
} else {
  throw new Error('emulatorWorker runs as a worker thread or a forked process');
}
