import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';

type Decoder = (body: Buffer, options: ZlibOptions) => Promise<Buffer>;

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** The content codings `decodeBody` undoes: what a client may offer in Accept-Encoding. */
export const ACCEPTED_ENCODINGS = Object.keys(DECODERS).join(', ');

export class DecodedBodyTooLargeError extends Error {
  constructor(encoding: string, maxBytes: number) {
    super(`a ${encoding} response body expands past ${maxBytes} bytes; refused`);
    this.name = 'DecodedBodyTooLargeError';
  }
}

/**
 * The body as sent before its content coding, or undefined for a coding this client does not undo.
 * The cap holds for the decoded bytes too: a few kilobytes of gzip can expand to gigabytes, and the
 * cap on the wire alone would let such an answer fill the process's memory.
 */
export async function decodeBody(
  encoding: string,
  body: Buffer,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const decode = DECODERS[encoding];
  if (decode === undefined) return undefined;
  if (body.length === 0) return body;
  try {
    return await decode(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DecodedBodyTooLargeError(encoding, maxBytes);
    }
    throw error;
  }
}
