import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP/1.x response, read whole. */
export interface ParsedResponse {
  readonly status: number;
  readonly statusText: string;
  /** Names in lower case; a repeated header's values joined with ", ". */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The connection may carry another request: the server did not close it and nothing was left over. */
  readonly reusable: boolean;
}

/** The server broke the protocol; the connection cannot be trusted any more. */
export class HttpProtocolError extends Error {
  override readonly name = 'HttpProtocolError';
  readonly code = 'HPE_INVALID';
}

/** The answer is larger than the caller accepts; the connection is given up mid-body. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

/** A header block larger than this is refused rather than buffered without end (Node allows 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type BodyMode =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; stage: 'size' | 'data' | 'data-end' | 'trailer'; remaining: number }
  | { readonly kind: 'until-close' };

interface Head {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly keepAlive: boolean;
}

/**
 * Reads one response to a request from the bytes a connection delivers, in whatever pieces they
 * come: Content-Length, chunked and close-delimited bodies, interim (1xx) answers skipped. Pure:
 * no socket, no timers; the connection feeds it and ends it.
 */
export class ResponseParser {
  /** Bytes not yet consumed: part of the head, or of a chunk-size or trailer line. */
  #pending: Buffer = Buffer.alloc(0);
  #head: Head | undefined;
  #body: BodyMode | undefined;
  readonly #bodyChunks: Buffer[] = [];
  #bodyBytes = 0;

  /**
   * `bodyless`: the request was a HEAD, whose answer has headers only. `maxBodyBytes`: a body
   * announced or found to be larger fails with ResponseTooLargeError as soon as that is known.
   */
  constructor(
    private readonly bodyless = false,
    private readonly maxBodyBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Takes the next bytes; returns the response once it is complete. */
  push(chunk: Buffer): ParsedResponse | undefined {
    let input = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = Buffer.alloc(0);
    for (;;) {
      if (this.#head === undefined) {
        const end = input.indexOf(HEAD_END);
        if (end < 0) {
          if (input.length > MAX_HEAD_BYTES) throw new HttpProtocolError('response headers too large');
          this.#pending = input;
          return undefined;
        }
        const head = parseHead(input.toString('latin1', 0, end));
        input = input.subarray(end + HEAD_END.length);
        // An interim answer (100 Continue, 103 Early Hints) precedes the real one.
        if (head.status >= 100 && head.status < 200) continue;
        this.#head = head;
        this.#body = this.bodyless ? { kind: 'none' } : bodyModeOf(head);
        if (this.#body.kind === 'length' && this.#body.remaining > this.maxBodyBytes) this.#tooLarge();
      }
      const leftover = this.#consumeBody(input);
      if (leftover === undefined) return undefined;
      return this.#complete(leftover.length === 0);
    }
  }

  /** The server closed the connection: completes a close-delimited body, else there is no response. */
  end(): ParsedResponse | undefined {
    if (this.#head !== undefined && this.#body?.kind === 'until-close') return this.#complete(false);
    return undefined;
  }

  /** Whether any byte of a response came yet. */
  get started(): boolean {
    return this.#head !== undefined || this.#pending.length > 0;
  }

  /** Consumes body bytes; returns the bytes after the body once it is complete, else undefined. */
  #consumeBody(input: Buffer): Buffer | undefined {
    const mode = this.#body!;
    switch (mode.kind) {
      case 'none':
        return input;
      case 'until-close':
        if (input.length > 0) this.#keep(input);
        return undefined;
      case 'length': {
        const taken = Math.min(mode.remaining, input.length);
        if (taken > 0) this.#keep(input.subarray(0, taken));
        mode.remaining -= taken;
        return mode.remaining === 0 ? input.subarray(taken) : undefined;
      }
      case 'chunked':
        return this.#consumeChunked(mode, input);
    }
  }

  #consumeChunked(mode: BodyMode & { kind: 'chunked' }, input: Buffer): Buffer | undefined {
    let at = 0;
    while (at < input.length || mode.stage === 'data') {
      if (mode.stage === 'data') {
        const taken = Math.min(mode.remaining, input.length - at);
        if (taken > 0) this.#keep(input.subarray(at, at + taken));
        at += taken;
        mode.remaining -= taken;
        if (mode.remaining > 0) return undefined;
        mode.stage = 'data-end';
        continue;
      }
      const lineEnd = input.indexOf(CRLF, at);
      if (lineEnd < 0) {
        if (input.length - at > MAX_HEAD_BYTES) throw new HttpProtocolError('chunk line too long');
        this.#pending = input.subarray(at);
        return undefined;
      }
      const line = input.toString('latin1', at, lineEnd);
      at = lineEnd + CRLF.length;
      if (mode.stage === 'data-end') {
        if (line !== '') throw new HttpProtocolError('chunk data longer than its size');
        mode.stage = 'size';
      } else if (mode.stage === 'size') {
        const size = Number.parseInt(line.split(';', 1)[0]!.trim(), 16);
        if (!Number.isSafeInteger(size) || size < 0 || !/^[0-9a-fA-F]+\s*(;|$)/.test(line))
          throw new HttpProtocolError(`bad chunk size "${line.slice(0, 20)}"`);
        if (size === 0) mode.stage = 'trailer';
        else {
          mode.stage = 'data';
          mode.remaining = size;
        }
      } else if (line === '') {
        // The empty line after the (usually absent) trailer fields ends the body.
        return input.subarray(at);
      }
    }
    return undefined;
  }

  #keep(bytes: Buffer): void {
    this.#bodyBytes += bytes.length;
    if (this.#bodyBytes > this.maxBodyBytes) this.#tooLarge();
    this.#bodyChunks.push(bytes);
  }

  #tooLarge(): never {
    throw new ResponseTooLargeError(
      `response body larger than ${formatBytes(this.maxBodyBytes)}, the most this client accepts`,
    );
  }

  #complete(nothingLeftOver: boolean): ParsedResponse {
    const head = this.#head!;
    const chunks = this.#bodyChunks;
    return {
      status: head.status,
      statusText: head.statusText,
      headers: head.headers,
      body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
      reusable: head.keepAlive && nothingLeftOver && this.#body?.kind !== 'until-close',
    };
  }
}

/** One pass over the header block, without splitting it first: every response goes through here. */
function parseHead(text: string): Head {
  const statusEnd = lineEnd(text, 0);
  const statusLine = text.slice(0, statusEnd);
  const status = Number(statusLine.slice(9, 12));
  if (!/^HTTP\/1\.[01] \d{3}( |$)/.test(statusLine))
    throw new HttpProtocolError(`bad status line "${statusLine.slice(0, 40)}"`);
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (let start = statusEnd + 2; start < text.length; ) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end);
    start = end + 2;
    const first = line.charCodeAt(0);
    if ((first === 0x20 || first === 0x09) && last !== undefined) {
      // Obsolete line folding: the line continues the previous field's value.
      headers[last] = `${headers[last]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpProtocolError(`bad header line "${line.slice(0, 40)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const earlier = headers[name];
    headers[name] = earlier === undefined ? value : `${earlier}, ${value}`;
    last = name;
  }
  const connection = headers.connection?.toLowerCase() ?? '';
  return {
    status,
    statusText: statusLine.slice(13),
    headers,
    keepAlive:
      statusLine.charCodeAt(7) === 0x30 ? connection.includes('keep-alive') : !connection.includes('close'),
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\r\n', from);
  return end < 0 ? text.length : end;
}

function bodyModeOf(head: Head): BodyMode {
  if (head.status === 204 || head.status === 304) return { kind: 'none' };
  const transferEncoding = head.headers['transfer-encoding'];
  if (transferEncoding !== undefined) {
    if (/(^|,)\s*chunked\s*$/i.test(transferEncoding))
      return { kind: 'chunked', stage: 'size', remaining: 0 };
    return { kind: 'until-close' };
  }
  const length = head.headers['content-length'];
  if (length === undefined) return { kind: 'until-close' };
  if (!/^\d+$/.test(length)) throw new HttpProtocolError(`bad content-length "${length.slice(0, 20)}"`);
  const remaining = Number(length);
  return remaining === 0 ? { kind: 'none' } : { kind: 'length', remaining };
}
