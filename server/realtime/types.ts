import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/contract.js';

/** What the handshake learned about the connection; set once, read by every handler. */
export interface SocketData {
  userId: string;
  username: string;
  tokenHash: string;
  expiresAt: number;
}

export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO rooms used for pushes: every connection of a user, of a session, and the viewers of a chat. */
export const channels = {
  user: (userId: string) => `user:${userId}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  view: (roomId: string) => `view:${roomId}`,
};
