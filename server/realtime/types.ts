import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/contract.js';

/** What the handshake learned about the connection; set once, read by every handler. */
export interface SocketData {
  userId: string;
  username: string;
  tokenHash: string;
  expiresAt: number;
}

/** Between backend processes (through the Redis adapter); never seen by clients. */
export interface InterServerEvents {
  /** Forget the cached room and finish sends that checked it, then acknowledge. */
  'room:changed': (roomId: string, ack: (done: true) => void) => void;
}

export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.IO rooms used for pushes: every connection of a user, of a session, and the viewers of a chat. */
export const channels = {
  user: (userId: string) => `user:${userId}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  view: (roomId: string) => `view:${roomId}`,
};
