// RoomChanges across processes: the process that committed a room change forgets the
// room itself, then asks every other process (Socket.IO's server-side events, carried by
// the Redis adapter) to do the same and waits for their answers, so a member removed on
// one process cannot post through another one afterwards.
import type { Logger } from '../logger.js';
import type { RoomChanges } from '../services/events.js';
import type { ParleyServer } from './types.js';

/**
 * A process that has not answered by then is gone, or cut off from Redis (and refusing
 * writes). The Redis adapter applies it to every server-side request (app.ts).
 */
export const PEER_TIMEOUT_MS = 3_000;

export class SocketRoomChanges implements RoomChanges {
  constructor(
    private readonly io: ParleyServer,
    /** This process's part: invalidate caches, finish sends under way. */
    private readonly forgetHere: (roomId: string) => Promise<void>,
    private readonly severalProcesses: boolean,
    private readonly logger: Logger,
  ) {
    io.on('room:changed', (roomId, ack) => {
      void this.forgetHere(roomId).then(
        () => ack(true),
        (error: unknown) => logger.warn({ err: error, roomId }, 'could not forget a changed room'),
      );
    });
  }

  async roomChanged(roomId: string): Promise<void> {
    await this.forgetHere(roomId);
    if (!this.severalProcesses) return;
    try {
      await this.io.serverSideEmitWithAck('room:changed', roomId);
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error, roomId }, 'not every process confirmed a room change in time');
    }
  }
}
