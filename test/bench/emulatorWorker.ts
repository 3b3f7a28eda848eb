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

/** Worker thread entry: the Graph and SCIM emulators, driven by messages from emulatorHost.ts. */
async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('emulatorWorker runs as a worker thread');
  const data = workerData as EmulatorWorkerData;
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
        return { graph: graph.server.calls, scim: scim.server.calls } satisfies ServedCalls;
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
      case 'close':
        await Promise.all([graph.close(), scim.close()]);
        port.close();
        return undefined;
    }
  };
  port.on('message', (request: EmulatorRequest) => {
    perform(request.command).then(
      (result) => port.postMessage({ id: request.id, result } satisfies EmulatorReply),
      (error: unknown) => port.postMessage({ id: request.id, error: String(error) } satisfies EmulatorReply),
    );
  });
  port.postMessage({
    graphBaseUrl: graph.graphBaseUrl,
    authorityHost: graph.authorityHost,
    scimUrl: scim.url,
  } satisfies EmulatorAddresses);
}

void serve();
