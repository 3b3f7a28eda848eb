import { connect, type Socket } from 'node:net';
import type { HttpProxy } from './proxy.js';

/** The proxy refused the tunnel: no retry helps until its configuration or credentials change. */
export class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError';
}

/** A proxy that sends more than this before the end of its answer's head is not speaking HTTP. */
const MAX_ANSWER_HEAD_BYTES = 16 * 1024;
const HEAD_END = '\r\n\r\n';

/**
 * A TCP connection through `proxy` to `host:port`, opened with CONNECT, ready for TLS to the
 * origin. Failing to reach the proxy keeps the socket's error code (and is retried as a network
 * failure); a proxy answering anything but 2xx fails with a ProxyTunnelError naming the proxy,
 * never its credentials.
 */
export function openTunnel(proxy: HttpProxy, host: string, port: number, timeoutMs: number): Promise<Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.hostname, port: proxy.port });
    let answer = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error & { code?: string }) =>
      fail(Object.assign(new Error(`proxy ${proxy.label}: ${error.message}`), { code: error.code }));
    const onClose = () =>
      fail(Object.assign(new Error(`proxy ${proxy.label} closed the connection`), { code: 'ECONNRESET' }));
    const onTimeout = () =>
      fail(Object.assign(new Error(`proxy ${proxy.label} did not answer CONNECT`), { code: 'ETIMEDOUT' }));
    const onData = (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const headEnd = answer.indexOf(HEAD_END);
      if (headEnd < 0) {
        if (answer.length > MAX_ANSWER_HEAD_BYTES)
          fail(new ProxyTunnelError(`proxy ${proxy.label} sent an answer to CONNECT that is not HTTP`));
        return;
      }
      const statusLine = answer.slice(0, answer.indexOf('\r\n'));
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      if (status === undefined || !status.startsWith('2')) {
        const reason = status === '407' ? ' (proxy authentication required or refused)' : '';
        fail(
          new ProxyTunnelError(
            `proxy ${proxy.label} refused the tunnel to ${authority}: ${statusLine.slice(9, 80) || 'no status'}${reason}`,
          ),
        );
        return;
      }
      // The origin speaks only after the client hello: bytes here would be the proxy's mistake.
      if (answer.length > headEnd + HEAD_END.length) {
        fail(new ProxyTunnelError(`proxy ${proxy.label} sent bytes after its answer to CONNECT`));
        return;
      }
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('timeout', onTimeout);
      socket.setTimeout(0);
      resolve(socket);
    };
    socket.setTimeout(timeoutMs);
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('timeout', onTimeout);
    const credentials =
      proxy.authorization === undefined ? '' : `proxy-authorization: ${proxy.authorization}\r\n`;
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n${credentials}\r\n`);
  });
}
