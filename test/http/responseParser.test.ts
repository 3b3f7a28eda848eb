import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpProtocolError, type ParsedResponse, ResponseParser } from '../../src/http/responseParser.js';

/** Feeds `wire` in pieces cut at `cuts`, as a socket may deliver it; returns the response if one completed. */
function feed(wire: string, cuts: readonly number[] = [], bodyless = false): ParsedResponse | undefined {
  const bytes = Buffer.from(wire, 'latin1');
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort((a, b) => a - b);
  const parser = new ResponseParser(bodyless);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    const response = parser.push(bytes.subarray(from, to));
    if (response) return response;
    from = to;
  }
  return parser.end();
}

const CREATED =
  'HTTP/1.1 201 Created\r\nContent-Type: application/scim+json\r\nContent-Length: 13\r\nLocation: /Users/1\r\n\r\n{"id":"u-42"}';
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\n{"a":\r\nA\r\n"0123456"}\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('ResponseParser', () => {
  it('reads a Content-Length answer however the socket cuts it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(CREATED.length), { maxLength: 12 }), (cuts) => {
        const response = feed(CREATED, cuts);
        expect(response?.status).toBe(201);
        expect(response?.statusText).toBe('Created');
        expect(response?.headers.location).toBe('/Users/1');
        expect(response?.body.toString()).toBe('{"id":"u-42"}');
        expect(response?.reusable).toBe(true);
      }),
    );
  });

  it('reads a chunked answer, with extensions and trailers, however the socket cuts it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(CHUNKED.length), { maxLength: 12 }), (cuts) => {
        const response = feed(CHUNKED, cuts);
        expect(response?.body.toString()).toBe('{"a":"0123456"}');
        expect(response?.reusable).toBe(true);
      }),
    );
  });

  it('waits for the close to end a body of no stated length, and does not reuse that connection', () => {
    const parser = new ResponseParser();
    expect(parser.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart one, '))).toBeUndefined();
    expect(parser.push(Buffer.from('part two'))).toBeUndefined();
    const response = parser.end();
    expect(response?.body.toString()).toBe('part one, part two');
    expect(response?.reusable).toBe(false);
  });

  it('has no response when the connection ends before the answer is whole', () => {
    const parser = new ResponseParser();
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345'));
    expect(parser.started).toBe(true);
    expect(parser.end()).toBeUndefined();
    expect(new ResponseParser().started).toBe(false);
  });

  it('skips interim answers before the final one', () => {
    const response = feed(
      `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n${CREATED}`,
    );
    expect(response?.status).toBe(201);
    expect(response?.headers.link).toBeUndefined();
  });

  it('does not reuse a connection the server asked to close, or an HTTP/1.0 one without keep-alive', () => {
    expect(feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok')?.reusable).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok')?.reusable).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok')?.reusable).toBe(
      true,
    );
  });

  it('does not reuse a connection that delivered more than the answer', () => {
    const response = feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK');
    expect(response?.body.toString()).toBe('ok');
    expect(response?.reusable).toBe(false);
  });

  it('reads no body for 204, 304 and answers to HEAD, whatever their headers say', () => {
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n')?.body.length).toBe(0);
    expect(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n')?.reusable).toBe(true);
    const head = feed('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n', [], true);
    expect(head?.body.length).toBe(0);
    expect(head?.reusable).toBe(true);
  });

  it('lower-cases header names, joins repeated ones and unfolds continued lines', () => {
    const response = feed(
      'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nVary: accept\r\nVARY: origin\r\nX-Long: one\r\n two\r\nContent-Length: 0\r\n\r\n',
    );
    expect(response?.headers).toMatchObject({
      'retry-after': '2',
      vary: 'accept, origin',
      'x-long': 'one two',
    });
  });

  it('refuses what is not HTTP, bad chunk sizes and lengths, and endless headers', () => {
    expect(() => feed('SSH-2.0-OpenSSH_9.6\r\n\r\n')).toThrow(HttpProtocolError);
    expect(() => feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(() => feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n')).toThrow(
      /chunk data/,
    );
    expect(() => feed('HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok')).toThrow(/content-length/);
    expect(() => feed(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`)).toThrow(/too large/);
  });
});
