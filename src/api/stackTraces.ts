import type { FastifyInstance } from 'fastify';

const FRAMES_SHOWN = 8;
/** An absolute file path or file URL in a stack frame, up to its line and column. */
const ABSOLUTE_PATH =
  /(?<=^|[\s('"])(?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s()'"]*?([^\s()'"/\\]+(?::\d+){0,2})(?=[\s)'"]|$)/gm;

/**
 * bull-board shows a failed job's stack trace to every dashboard viewer. What it shows is cut to
 * the first frames, and file paths to their file names: where the service is installed, and what
 * the host's directories are called, is nobody's business but the host's.
 */
export function trimDashboardStackTraces(app: FastifyInstance, apiPrefix: string): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(apiPrefix) || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    if (!payload.includes('"stacktrace"') && !payload.includes('"failedReason"')) return payload;
    return JSON.stringify(JSON.parse(payload), (key, value: unknown) => {
      if (key === 'stacktrace' && Array.isArray(value)) {
        return value.map((trace) => (typeof trace === 'string' ? trimTrace(trace) : trace));
      }
      if (key === 'failedReason' && typeof value === 'string') return withoutPaths(value);
      return value;
    });
  });
}

function trimTrace(trace: string): string {
  const lines = trace.split('\n');
  const head = lines.slice(0, FRAMES_SHOWN + 1).map(withoutPaths);
  return lines.length > head.length
    ? [...head, `    … ${lines.length - head.length} more`].join('\n')
    : head.join('\n');
}

function withoutPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, '$1');
}
