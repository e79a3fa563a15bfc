// What Node's HTTP server answers on its own, before Koa or Socket.IO see a request:
// a request it cannot parse, or headers beyond its size limit. Node's defaults are a
// bare status line; these answers carry the contract's JSON error like every other.
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../src/shared/contract.js';

/** Every answer of this server, Socket.IO's HTTP answers included, declares a type browsers must not second-guess. */
export function addNoSniff(httpServer: HttpServer): void {
  // Prepended, so it runs before Socket.IO's listener (which answers /socket.io/ itself) and Koa's.
  httpServer.prependListener('request', (_req, res: ServerResponse) => res.setHeader('X-Content-Type-Options', 'nosniff'));
}

/** Answers Node's parse errors (431 for oversized headers, 400 otherwise) with a JSON error, then closes. */
export function answerClientErrors(httpServer: HttpServer): void {
  httpServer.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A timeout or a reset: the client is gone or stalled; there is nobody to answer. An
    // answer already under way on this connection cannot be followed by another (Node's
    // default handler makes the same check).
    const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body: ErrorBody = tooLarge
      ? { error: { code: 'headers_too_large', message: 'The request headers are too large.' } }
      : { error: { code: 'validation_failed', message: 'The request is not valid HTTP.' } };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        json,
    );
  });
}
