import type { DestinationStream } from 'pino';

const LEVELS: Readonly<Record<number, { readonly name: string; readonly color: string }>> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '90' },
  30: { name: 'INFO', color: '32' },
  40: { name: 'WARN', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '41;97' },
};
/** Said by every line, or by the line's layout already. */
const LEFT_OUT: ReadonlySet<string> = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

function paint(text: string, code: string, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * One pino JSON line as a person reads it: `14:03:07 WARN  message  key=value …`, an error's
 * stack under it. Fields keep their redaction: this only lays out what pino already wrote.
 */
export function formatLogLine(json: string, color: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[entry.level as number] ?? { name: String(entry.level), color: '0' };
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (LEFT_OUT.has(key) || value === undefined) continue;
    const error = value as { message?: unknown; stack?: unknown } | null;
    if (key === 'err' && typeof error?.message === 'string') {
      fields.push(`${key}=${shown(error.message)}`);
      if (typeof error.stack === 'string') stack = `\n${error.stack.replace(/^/gm, '    ')}`;
      continue;
    }
    fields.push(`${paint(key, '2', color)}=${shown(value)}`);
  }
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const head = `${paint(time, '2', color)} ${paint(level.name.padEnd(5), level.color, color)} ${message}`;
  return `${[head, ...fields].join('  ')}${stack}\n`;
}

/**
 * A pino destination writing readable lines to a terminal. Each line first clears the status
 * line a long command may be showing; the next progress reading draws it again below.
 */
export function readableLogStream(stream: NodeJS.WriteStream, color: boolean): DestinationStream {
  return {
    write(line: string) {
      stream.write(`\r\x1b[2K${formatLogLine(line, color)}`);
    },
  };
}
