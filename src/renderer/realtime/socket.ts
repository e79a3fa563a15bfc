// Runs in: the renderer. The Socket.IO connection to the backend, typed by the contract.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/contract';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A socket for `serverUrl` (which may carry a path prefix, e.g. behind a proxy), not yet
 * connected. It reconnects by itself with a short back-off; the caller connects it.
 */
export function createSocket(serverUrl: string, token: string): ParleySocket {
  const url = new URL(serverUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  return io(url.origin, {
    path: `${prefix}/socket.io`,
    auth: { token },
    // WebSocket only: every supported host has it, a scaled-out backend needs no sticky
    // sessions for it, and the long-polling fallback is not worth a second code path.
    transports: ['websocket'],
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    timeout: 10_000,
  });
}
