import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoEnvironment } from './environment.js';

/**
 * A small HTTP door into the demo's emulators, so that a person can change a source directory
 * with curl and watch the next incremental run carry the change:
 *   POST /graph/users/{object id}   {"jobTitle": "…", "accountEnabled": false, …}
 *   POST /okta/users/{user id}      {"title": "…"}  (profile fields)  or  {"status": "SUSPENDED"}
 */
export async function startDemoControl(
  environment: DemoEnvironment,
  host: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    void handle(environment, request).then(
      (answer) => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      },
      (error: unknown) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: (error as Error).message }));
      },
    );
  });
  await new Promise<void>((listening) => server.listen(0, host, listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

async function handle(
  environment: DemoEnvironment,
  request: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const match = /^\/(graph|okta)\/users\/([^/]+)$/.exec(new URL(request.url ?? '/', 'http://demo').pathname);
  if (request.method !== 'POST' || !match)
    return { status: 404, body: { error: 'POST /graph/users/{id} or /okta/users/{id}' } };
  const reference = decodeURIComponent(match[2]!);
  const changes = JSON.parse((await readBody(request)) || '{}') as Record<string, string | boolean | null>;
  if (match[1] === 'graph') {
    environment.graph.directory.updateUser(reference, changes);
    return { status: 200, body: { changed: reference } };
  }
  const { status, ...profile } = changes;
  const org = environment.okta.org;
  if (Object.keys(profile).length > 0) org.updateProfile(reference, profile as Record<string, string | null>);
  if (typeof status === 'string') org.setStatus(reference, status as Parameters<typeof org.setStatus>[1]);
  return { status: 200, body: { changed: reference } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => resolveBody(text));
    request.on('error', reject);
  });
}
