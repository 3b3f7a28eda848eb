import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { startServiceProcess } from '../service/serviceProcess.js';
import { runCli } from '../support/cli.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type EmbeddedRedis, startEmbeddedRedis } from '../support/embeddedRedis.js';

const SCIM_TOKEN = 'scim-token-otel-5d1e8b';
const USERS = [
  { id: 'u1', userName: 'ada@example.com', givenName: 'Ada' },
  { id: 'u2', userName: 'grace@example.com', givenName: 'Grace' },
  { id: 'u3', userName: 'alan@example.com', givenName: 'Alan' },
];

/** A span as the OTLP/HTTP JSON encoding sends it, with its attributes flattened. */
interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly status?: { code?: number; message?: string };
  readonly links: readonly { traceId: string; spanId: string }[];
  readonly events: readonly { name: string }[];
  readonly resource: Readonly<Record<string, unknown>>;
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: {
      spans: (Omit<ReceivedSpan, 'attributes' | 'resource' | 'events' | 'links'> & {
        attributes?: OtlpAttribute[];
        events?: { name: string }[];
        links?: { traceId: string; spanId: string }[];
      })[];
    }[];
  }[];
}

/** An OTLP/HTTP receiver on loopback: what a collector would be handed, JSON as sent. */
class OtlpReceiver {
  readonly bodies: string[] = [];
  readonly #server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      this.bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((listening) => this.#server.listen(0, '127.0.0.1', listening));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  spans(): ReceivedSpan[] {
    return this.bodies.flatMap((body) =>
      (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((resourceSpans) => {
        const resource = flatten(resourceSpans.resource.attributes);
        return resourceSpans.scopeSpans.flatMap((scope) =>
          scope.spans.map((span) => ({
            ...span,
            attributes: flatten(span.attributes ?? []),
            events: span.events ?? [],
            links: span.links ?? [],
            resource,
          })),
        );
      }),
    );
  }

  close(): Promise<void> {
    return new Promise((closed) => this.#server.close(() => closed()));
  }
}

function flatten(attributes: readonly OtlpAttribute[]): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, attributeValue(value)]));
}

function attributeValue(value: Record<string, unknown>): unknown {
  if ('arrayValue' in value) {
    const { values = [] } = value.arrayValue as { values?: Record<string, unknown>[] };
    return values.map(attributeValue);
  }
  const [scalar] = Object.values(value);
  // OTLP's JSON encoding sends 64-bit integers as strings.
  return 'intValue' in value ? Number(scalar) : scalar;
}

describe('OpenTelemetry traces of a run', () => {
  // A Redis of its own: the service started below takes every tenant's runs from its queue.
  let redis: EmbeddedRedis;
  let emulator: ScimEmulator;
  let receiver: OtlpReceiver;
  let endpoint: string;
  let directory: string;
  let configFile: string;
  let loadedModulesFile: string;
  let moduleHook: string;

  const sync = (tenant: string, otel: Record<string, string>, how = '--inline') =>
    runCli(['--config', configFile, '--json', 'sync', tenant, how, '--full'], {
      SCIM_TOKEN,
      REDIS_URL: redis.url,
      NODE_OPTIONS: `--import=${moduleHook}`,
      LOADED_MODULES_FILE: loadedModulesFile,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      ...otel,
    });
  const writeDirectory = (users: readonly { id: string; userName: string; givenName: string }[]) =>
    writeFileSync(
      join(directory, 'directory.json'),
      JSON.stringify({ users, groups: [{ id: 'g-eng', displayName: 'Engineering', members: ['u1', 'u2'] }] }),
    );
  /** The OpenTelemetry and BullMQ add-on modules the last CLI process loaded. */
  const loadedTelemetryModules = () =>
    readFileSync(loadedModulesFile, 'utf8')
      .split('\n')
      .filter((url) => /\/node_modules\/(@opentelemetry\/[^/]+|bullmq-otel)\//.test(url))
      .map((url) => /\/node_modules\/(@opentelemetry\/[^/]+|bullmq-otel)\//.exec(url)![1]!);

  beforeAll(async () => {
    redis = await startEmbeddedRedis();
    emulator = await startScimEmulator({
      certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
      token: SCIM_TOKEN,
    });
    receiver = new OtlpReceiver();
    endpoint = await receiver.listen();
    directory = mkdtempSync(join(tmpdir(), 'dirsync-otel-'));
    configFile = join(directory, 'dirsync.yaml');
    loadedModulesFile = join(directory, 'loaded-modules.txt');
    // Records every module the CLI process resolves, ESM or CommonJS, and writes them out at exit.
    moduleHook = join(directory, 'record-modules.mjs');
    writeFileSync(
      moduleHook,
      [
        "import { registerHooks } from 'node:module';",
        "import { writeFileSync } from 'node:fs';",
        'const seen = new Set();',
        'registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.add(found.url); return found; } });',
        "process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, [...seen].join('\\n')));",
      ].join('\n'),
    );
    writeDirectory(USERS);
    writeFileSync(
      configFile,
      [
        'tenants:',
        '  - id: traced',
        '    source: { type: file, path: ./directory.json }',
        `    target: { url: "${emulator.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 2 }`,
        '  - id: traced-lost',
        '    source: { type: file, path: ./missing.json }',
        `    target: { url: "${emulator.url}", token: "env:SCIM_TOKEN" }`,
      ].join('\n'),
    );
  });

  beforeEach(() => {
    receiver.bodies.length = 0;
  });

  afterAll(async () => {
    await receiver?.close();
    await emulator?.close();
    await redis?.stop();
  });

  test('each run is one trace: a span per phase and per op batch, all carrying the run id', async () => {
    const first = await sync('traced', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const firstRunId = (JSON.parse(first.stdout) as { id: string }).id;
    const second = await sync('traced', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const secondRunId = (JSON.parse(second.stdout) as { id: string }).id;

    const spans = receiver.spans();
    const runs = spans.filter((span) => span.name === 'dirsync.run');
    expect(runs.map((span) => span.attributes['dirsync.run.id'])).toEqual([firstRunId, secondRunId]);
    expect(new Set(runs.map((span) => span.traceId)).size).toBe(2);

    const [run] = runs;
    expect(run!.parentSpanId ?? '').toBe('');
    expect(run!.attributes).toMatchObject({
      'dirsync.tenant': 'traced',
      'dirsync.run.mode': 'full',
      'dirsync.run.trigger': 'cli',
      'dirsync.run.status': 'succeeded',
    });
    expect(run!.resource).toMatchObject({ 'service.name': 'dirsync', 'dirsync.role': 'cli' });

    const inFirstTrace = spans.filter((span) => span.traceId === run!.traceId);
    const phases = inFirstTrace.filter((span) => span.parentSpanId === run!.spanId).map((span) => span.name);
    expect(phases).toEqual(
      expect.arrayContaining(['dirsync.import', 'dirsync.plan', 'dirsync.users', 'dirsync.groups']),
    );
    const ours = inFirstTrace.filter((span) => span.name.startsWith('dirsync.'));
    expect(ours.map((span) => span.name)).toContain('dirsync.commit');
    for (const span of ours) expect(span.attributes['dirsync.run.id'], span.name).toBe(firstRunId);
    expect(inFirstTrace.find((span) => span.name === 'dirsync.import')!.attributes).toMatchObject({
      'dirsync.source.users': 3,
      'dirsync.source.groups': 1,
    });

    // Three users at two requests a second make two batches; the group makes one more.
    const batches = inFirstTrace.filter((span) => span.name === 'dirsync.ops');
    const described = batches.map(
      (span) => `${span.attributes['dirsync.op.kinds']}×${span.attributes['dirsync.op.count']}`,
    );
    expect(described.sort()).toEqual(['createGroup×1', 'createUser×1', 'createUser×2']);
    // Each batch's span sits under BullMQ's own consumer span, which the run's phase started.
    const byId = new Map(inFirstTrace.map((span) => [span.spanId, span]));
    for (const batch of batches) expect(byId.get(batch.parentSpanId!)?.name).toMatch(/^process /);
    expect(inFirstTrace.some((span) => span.name.startsWith('addBulk '))).toBe(true);

    expect(receiver.bodies.join('')).not.toContain(SCIM_TOKEN);
    expect(loadedTelemetryModules()).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-http']),
    );
  });

  test('provisioning on demand is one trace too, its op batches inside it', async () => {
    writeDirectory([...USERS, { id: 'u4', userName: 'linus@example.com', givenName: 'Linus' }]);
    const provision = await runCli(
      ['--config', configFile, '--json', 'provision', 'traced', '--inline', '--user', 'linus@example.com'],
      { SCIM_TOKEN, REDIS_URL: redis.url, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    );
    expect(provision.code, provision.stdout + provision.stderr).toBe(0);
    const { runId } = JSON.parse(provision.stdout) as { runId: string };

    const spans = receiver.spans();
    const root = spans.find((span) => span.name === 'dirsync.provision')!;
    expect(root.attributes).toMatchObject({ 'dirsync.run.id': runId, 'dirsync.provision.subjects': 1 });
    const inTrace = spans.filter((span) => span.traceId === root.traceId).map((span) => span.name);
    expect(inTrace).toEqual(expect.arrayContaining(['dirsync.users', 'dirsync.groups', 'dirsync.ops']));
  });

  test("a run the service takes from the queue is a trace of its own, linked to BullMQ's span of its job", async () => {
    const worker = startServiceProcess('worker', ['start', '--role', 'worker', '--config', configFile], {
      SCIM_TOKEN,
      REDIS_URL: redis.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    try {
      await worker.waitFor(/worker role started/);
      const queued = await sync('traced', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, '--wait');
      expect(queued.code, queued.stdout + queued.stderr).toBe(0);
      const { id: runId } = JSON.parse(queued.stdout) as { id: string };
      // Stopping flushes the worker's last spans.
      expect(await worker.stop()).toBe(0);

      const spans = receiver.spans();
      const run = spans.find((span) => span.name === 'dirsync.run')!;
      expect(run.attributes['dirsync.run.id']).toBe(runId);
      expect(run.resource['dirsync.role']).toBe('worker');
      const job = spans.find((span) => span.spanId === run.links[0]?.spanId);
      expect(job?.name).toBe('process dirsync-reconcile');
      expect(job!.traceId).not.toBe(run.traceId);
      // The job's producer span is the CLI's, which enqueued the run.
      const producer = spans.find((span) => span.spanId === job!.parentSpanId);
      expect(producer?.name).toBe('add dirsync-reconcile.run');
      expect(producer?.resource['dirsync.role']).toBe('cli');
      expect(spans.filter((span) => span.traceId === run.traceId).map((span) => span.name)).toEqual(
        expect.arrayContaining(['dirsync.import', 'dirsync.plan', 'dirsync.users', 'dirsync.groups']),
      );
    } finally {
      worker.kill();
    }
  });

  test('a run that fails says so on its span, and the phase it failed in holds the error', async () => {
    const failed = await sync('traced-lost', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(failed.code).not.toBe(0);

    const spans = receiver.spans();
    const run = spans.find((span) => span.name === 'dirsync.run')!;
    expect(run.attributes['dirsync.run.status']).toBe('failed');
    expect(run.status?.code).toBe(2);
    expect(run.status?.message).toContain('missing.json');
    const importSpan = spans.find((span) => span.name === 'dirsync.import')!;
    expect(importSpan.traceId).toBe(run.traceId);
    expect(importSpan.status?.code).toBe(2);
    expect(importSpan.events.map((event) => event.name)).toContain('exception');
  });

  test('without an endpoint no span is sent and no OpenTelemetry SDK module is loaded', async () => {
    const plain = await sync('traced', {});
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(receiver.bodies).toEqual([]);
    // prom-client imports the OpenTelemetry API itself (a no-op façade); nothing else may load.
    expect(loadedTelemetryModules().filter((name) => name !== '@opentelemetry/api')).toEqual([]);
  });
});
