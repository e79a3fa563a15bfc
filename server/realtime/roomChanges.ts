// RoomChanges across processes. A room change (rename, members, roles, delete) is
// written while every process holds the room: each stops starting sends to it and
// waits for the sends under way (MessageService.holdRoom), so no message is stored
// while the members change. After the write, each process forgets its cached copy of
// the room and lets the waiting sends go; they check the room as it is now. Other
// processes are reached with Socket.IO's server-side events over the Redis adapter,
// and the change waits for their answers.
import type { Logger } from '../logger.js';
import type { RoomChanges } from '../services/events.js';
import type { ParleyServer } from './types.js';

/**
 * A process that has not answered by then is gone, or cut off from Redis (and refusing
 * writes). The Redis adapter applies it to every server-side request (createServer.ts).
 */
export const PEER_TIMEOUT_MS = 3_000;
/** A process holding a room for another one lets it go by itself after this (the other may have died mid-change). */
const HOLD_LIMIT_MS = 3 * PEER_TIMEOUT_MS;

export interface RoomHolder {
  /** Stops new sends to the room and resolves once those under way finished; returns the release. */
  holdRoom(roomId: string): Promise<() => void>;
  /** Drops this process's cached copy of the room. */
  forget(roomId: string): void;
}

export class SocketRoomChanges implements RoomChanges {
  /** Holds this process keeps for changes another process is writing, by change id. */
  private readonly heldForPeers = new Map<string, () => void>();
  /** Changes that ended before this process's hold for them was in place (it timed out there): let go at once. */
  private readonly endedEarly = new Set<string>();

  constructor(
    private readonly io: ParleyServer,
    private readonly here: RoomHolder,
    private readonly severalProcesses: boolean,
    private readonly logger: Logger,
  ) {
    io.on('room:hold', (changeId, roomId, ack) => {
      this.here.holdRoom(roomId).then(
        (release) => {
          if (this.endedEarly.delete(changeId)) {
            this.here.forget(roomId);
            release();
            return;
          }
          const timer = setTimeout(() => this.letGo(changeId, roomId), HOLD_LIMIT_MS);
          timer.unref();
          this.heldForPeers.set(changeId, () => {
            clearTimeout(timer);
            release();
          });
          ack(true);
        },
        (error: unknown) => logger.warn({ err: error, roomId }, 'could not hold a changing room'),
      );
    });
    io.on('room:changed', (changeId, roomId, ack) => {
      this.letGo(changeId, roomId);
      ack(true);
    });
  }

  async change<T>(roomId: string, write: () => Promise<T>): Promise<T> {
    const changeId = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const release = await this.here.holdRoom(roomId);
    try {
      if (this.severalProcesses) await this.ask('room:hold', changeId, roomId);
      return await write();
    } finally {
      // Whether or not the write went through, the cached room may be stale now.
      this.here.forget(roomId);
      release();
      if (this.severalProcesses) await this.ask('room:changed', changeId, roomId);
    }
  }

  private letGo(changeId: string, roomId: string): void {
    this.here.forget(roomId);
    const release = this.heldForPeers.get(changeId);
    if (!release) {
      // The change ended while this process was still waiting for its sends: its hold must not outlive it.
      this.endedEarly.add(changeId);
      setTimeout(() => this.endedEarly.delete(changeId), HOLD_LIMIT_MS).unref();
      return;
    }
    this.heldForPeers.delete(changeId);
    release();
  }

  private async ask(event: 'room:hold' | 'room:changed', changeId: string, roomId: string): Promise<void> {
    try {
      await this.io.serverSideEmitWithAck(event, changeId, roomId);
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error, roomId, event }, 'not every process answered a room change in time');
    }
  }
}
