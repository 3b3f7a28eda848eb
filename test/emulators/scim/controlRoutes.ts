import { isJsonObject } from '../../../src/platform/json.js';
import type { EmulatorServer, FaultSettings, Route } from '../https/httpsServer.js';
import type { ScimStore } from './store.js';

export const CONTROL_PREFIX = '/_control';

const FAULT_FIELDS = ['rate429', 'rate503', 'latencyMs', 'retryAfterSeconds'] as const;

/**
 * Test and demo control over HTTP, for processes that do not hold the emulator in memory.
 * The server lets these bypass authentication, fault injection and the call log.
 */
export function controlRoutes(store: ScimStore, server: () => EmulatorServer): Route[] {
  return [
    {
      method: 'GET',
      pattern: `${CONTROL_PREFIX}/state`,
      handler: () => ({ status: 200, body: { users: store.users(), groups: store.groups() } }),
    },
    {
      method: 'GET',
      pattern: `${CONTROL_PREFIX}/calls`,
      handler: () => ({ status: 200, body: server().calls }),
    },
    {
      method: 'POST',
      pattern: `${CONTROL_PREFIX}/faults`,
      handler: (request) => {
        const faults = faultSettings(request.body);
        if (faults === undefined)
          return { status: 400, body: { error: `faults take numbers: ${FAULT_FIELDS.join(', ')}` } };
        server().setFaults(faults);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: `${CONTROL_PREFIX}/reset`,
      handler: () => {
        store.clear();
        server().resetCalls();
        server().setFaults({});
        return { status: 204 };
      },
    },
  ];
}

function faultSettings(body: unknown): FaultSettings | undefined {
  if (!isJsonObject(body)) return undefined;
  const settings: Record<string, number> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(FAULT_FIELDS as readonly string[]).includes(key) || typeof value !== 'number') return undefined;
    settings[key] = value;
  }
  return settings;
}
