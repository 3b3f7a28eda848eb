import { type ConnectionOptions, connect, type TLSSocket } from 'node:tls';
import { idleTimeoutMs } from './keepAliveHint.js';
import { type ParsedResponse, ResponseParser } from './responseParser.js';

/** An exchange that failed on the wire; `code` says how (see isTransientNetworkError). */
function wireError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

interface InFlight {
  readonly parser: ResponseParser;
  readonly resolve: (response: ParsedResponse) => void;
  readonly reject: (error: Error) => void;
}

export interface ConnectionLimits {
  /** An exchange that hears nothing for this long fails with `ETIMEDOUT`. */
  readonly answerMs: number;
  /** How long an idle connection is kept, unless the server's `Keep-Alive: timeout` asks for less. */
  readonly idleMs: number;
  /** A response body larger than this fails its exchange (ResponseTooLargeError). */
  readonly maxBodyBytes: number;
}

/**
 * One TLS connection carrying one HTTP/1.1 exchange at a time. It is open until the server closes
 * it, an exchange fails, a response says so, or its owner closes it; `onClosed` tells the owner.
 * `options.socket` carries it over an existing socket (a proxy tunnel) instead of its own.
 */
export class Connection {
  readonly #socket: TLSSocket;
  #inFlight: InFlight | undefined;
  #open = true;
  /** The idle time the server's last answer allows. */
  #idleMs: number;

  constructor(
    options: ConnectionOptions,
    private readonly limits: ConnectionLimits,
    private readonly onClosed: (connection: Connection) => void,
  ) {
    this.#idleMs = limits.idleMs;
    this.#socket = connect(options);
    this.#socket.setNoDelay(true);
    this.#socket.setTimeout(limits.answerMs);
    this.#socket.on('data', (chunk: Buffer) => this.#received(chunk));
    this.#socket.on('end', () => this.#ended());
    // Silence while an exchange waits fails it; silence while idle just retires the connection.
    this.#socket.on('timeout', () => this.#fail(wireError('request timed out', 'ETIMEDOUT')));
    this.#socket.on('error', (error: Error) => this.#fail(error));
    this.#socket.on('close', () => this.#fail(wireError('socket hang up', 'ECONNRESET')));
  }

  get open(): boolean {
    return this.#open;
  }

  /** Sends one whole request (head and body in one write) and reads its response. */
  exchange(request: string | Buffer, bodyless: boolean): Promise<ParsedResponse> {
    if (!this.#open) return Promise.reject(wireError('connection closed', 'ECONNRESET'));
    if (this.#inFlight) throw new Error('one exchange at a time per connection');
    return new Promise((resolve, reject) => {
      this.#inFlight = { parser: new ResponseParser(bodyless, this.limits.maxBodyBytes), resolve, reject };
      this.#socket.write(request);
    });
  }

  /** Kept open between exchanges for a while, without holding the process up. */
  idle(idle: boolean): void {
    if (idle) this.#socket.unref();
    else this.#socket.ref();
    this.#socket.setTimeout(idle ? this.#idleMs : this.limits.answerMs);
  }

  close(): void {
    this.#fail(wireError('connection closed', 'ECONNRESET'));
  }

  #received(chunk: Buffer): void {
    const inFlight = this.#inFlight;
    if (!inFlight) {
      // Bytes nobody asked for: the stream is out of step, and no later answer can be trusted.
      this.close();
      return;
    }
    let response: ParsedResponse | undefined;
    try {
      response = inFlight.parser.push(chunk);
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    if (response === undefined) return;
    this.#inFlight = undefined;
    const keepAlive = response.headers['keep-alive'];
    if (typeof keepAlive === 'string') this.#idleMs = idleTimeoutMs(keepAlive, this.limits.idleMs);
    if (!response.reusable || this.#idleMs <= 0) this.close();
    inFlight.resolve(response);
  }

  #ended(): void {
    const inFlight = this.#inFlight;
    const response = inFlight?.parser.end();
    if (inFlight && response) {
      this.#inFlight = undefined;
      inFlight.resolve(response);
    }
    this.close();
  }

  #fail(error: Error): void {
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    if (this.#open) {
      this.#open = false;
      this.#socket.destroy();
      this.onClosed(this);
    }
    inFlight?.reject(error);
  }
}
