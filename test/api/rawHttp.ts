import { connect } from 'node:net';

/** What came back for one raw request: the status, the bytes of the whole answer, and the time taken. */
export interface RawAnswer {
  readonly status: number;
  readonly bytes: number;
  readonly ms: number;
  readonly text: string;
}

/**
 * Sends bytes as they are to a local HTTP server and reads until it closes the connection. No HTTP
 * client in between: hostile requests are ones a client library would refuse to send (CR/LF in a
 * header, conflicting lengths, a path it would normalise).
 */
export function sendRaw(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    // Written, not ended: a server may drop a half-closed connection before it answers.
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer and close before it has read the whole request (431, 413).
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') socket.destroy();
      else reject(error);
    });
    socket.on('close', () => {
      const answer = Buffer.concat(chunks);
      const text = answer.toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolveAnswer({ status, bytes: answer.length, ms: performance.now() - started, text });
    });
  });
}

export interface RequestParts {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Lines sent verbatim after the headers above, before the blank line. */
  readonly rawHeaderLines?: readonly string[];
  /** Leave out the Content-Length a body would get. */
  readonly noLength?: boolean;
  /** `HTTP/1.1` unless given. */
  readonly version?: string;
}

/** An HTTP/1.1 request with `Connection: close`, for `sendRaw`. */
export function httpRequest(port: number, parts: RequestParts): Buffer {
  const body = typeof parts.body === 'string' ? Buffer.from(parts.body) : (parts.body ?? Buffer.alloc(0));
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    connection: 'close',
    ...(body.length > 0 && !parts.noLength ? { 'content-length': String(body.length) } : {}),
    ...parts.headers,
  };
  const head = [
    `${parts.method ?? 'GET'} ${parts.path} ${parts.version ?? 'HTTP/1.1'}`,
    // An empty value leaves the header out (a request without Host).
    ...Object.entries(headers).flatMap(([name, value]) => (value === '' ? [] : [`${name}: ${value}`])),
    ...(parts.rawHeaderLines ?? []),
  ];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), body]);
}
