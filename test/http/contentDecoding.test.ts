import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecodedBodyTooLargeError, decodeBody } from '../../src/http/contentDecoding.js';

const text = Buffer.from('{"value":[{"id":"u1"}]}');

describe('decoding a response body', () => {
  it('undoes gzip, deflate and br, and leaves other codings to the caller', async () => {
    expect(await decodeBody('gzip', gzipSync(text), 1024)).toEqual(text);
    expect(await decodeBody('deflate', deflateSync(text), 1024)).toEqual(text);
    expect(await decodeBody('br', brotliCompressSync(text), 1024)).toEqual(text);
    expect(await decodeBody('identity', text, 1024)).toBeUndefined();
  });

  it('refuses a small compressed answer that expands past the cap instead of holding it', async () => {
    // 8 MiB of zeros gzip to about 8 kB: the wire cap alone would let it through.
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(decodeBody('gzip', bomb, 1024 * 1024)).rejects.toThrow(DecodedBodyTooLargeError);
    await expect(decodeBody('gzip', bomb, 1024 * 1024)).rejects.toThrow(/expands past 1048576 bytes/);
    expect(await decodeBody('gzip', bomb, 8 * 1024 * 1024)).toHaveLength(8 * 1024 * 1024);
  });
});
