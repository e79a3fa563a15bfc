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
  /** A change to the room is about to be written: hold new sends to it, finish those under way, then acknowledge. */
  'room:hold': (changeId: string, roomId: string, ack: (held: true) => void) => void;
  /** The change is written (or abandoned): forget the cached room and let the held sends go. */
  'room:changed': (changeId: string, roomId: string, ack: (done: true) => void) => void;
}

export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.IO rooms used for pushes: every connection of a user, of a session, and the viewers of a chat. */
export const channels = {
  user: (userId: string) => `user:${userId}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  view: (roomId: string) => `view:${roomId}`,
  /** The room a `view:` channel belongs to, or undefined for any other channel. */
  viewedRoom: (channel: string): string | undefined => (channel.startsWith('view:') ? channel.slice('view:'.length) : undefined),
};
