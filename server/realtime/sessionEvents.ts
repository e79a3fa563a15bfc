// SessionEvents over Socket.IO: an ended session is told so on its own channel, then
// every socket of it (on any process) is disconnected.
import type { SessionEvents } from '../services/events.js';
import { channels, type ParleyServer } from './types.js';

export class SocketSessionEvents implements SessionEvents {
  constructor(private readonly io: ParleyServer) {}

  sessionEnded(tokenHash: string, reason: 'logged_out' | 'expired'): void {
    const channel = channels.session(tokenHash);
    this.io.to(channel).emit('session:ended', { reason });
    this.io.in(channel).disconnectSockets(true);
  }
}
