// Runs in: the renderer. Typing indicators within a session, both ways. Out: while the
// user types in a room's composer, `typing:start` at most every TYPING.sendEveryMs, and
// `typing:stop` when the box is emptied (a send stops it on the server). In: room:typing
// pushes fill stores/typing.ts; a typist is dropped on their stop, a message of theirs,
// their leaving, or after TYPING.forgetAfterMs without a refresh (a stop lost with a
// server process). Owned by the ChatSession: its timers end with it.
import type { TypingEvent } from '../../shared/contract';
import { TYPING } from '../../shared/contractValues';
import { useTypingStore } from '../stores/typing';
import type { ParleySocket } from '../realtime/socket';

export class TypingTracker {
  /** When this client last said it is typing, per room (absent: it has not, or stopped). */
  private readonly lastStart = new Map<string, number>();
  /** Per "<roomId>:<userId>", the timer that forgets a typist nobody refreshed. */
  private readonly forget = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly socket: Pick<ParleySocket, 'connected' | 'emit'>,
    private readonly selfId: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  // ---------- out ----------

  /** The composer's text changed. */
  input(roomId: string, text: string): void {
    if (!this.socket.connected) return;
    if (text.trim() === '') {
      if (this.lastStart.delete(roomId)) this.socket.emit('typing:stop', { roomId });
      return;
    }
    const last = this.lastStart.get(roomId);
    if (last !== undefined && this.now() - last < TYPING.sendEveryMs) return;
    this.lastStart.set(roomId, this.now());
    this.socket.emit('typing:start', { roomId });
  }

  /** The message went out: the server ends the indicator with it; the next keystroke starts anew. */
  sent(roomId: string): void {
    this.lastStart.delete(roomId);
  }

  /** The composer closed (another room, the Manage tab): leaving the room ends the indicator on the server. */
  closed(roomId: string): void {
    this.lastStart.delete(roomId);
  }

  /** The connection dropped: the server forgot this client's typing, and whom it heard typing is unknown. */
  connectionLost(): void {
    this.lastStart.clear();
    for (const timer of this.forget.values()) clearTimeout(timer);
    this.forget.clear();
    useTypingStore.getState().reset();
  }

  // ---------- in ----------

  heard(event: TypingEvent): void {
    const { roomId, user } = event;
    if (user.userId === this.selfId()) return;
    if (!event.typing) return this.stop(roomId, user.userId);
    useTypingStore.getState().started(roomId, user);
    const key = `${roomId}:${user.userId}`;
    clearTimeout(this.forget.get(key));
    this.forget.set(
      key,
      setTimeout(() => this.stop(roomId, user.userId), TYPING.forgetAfterMs),
    );
  }

  /** A message from them, or they left the room: they are not typing any more. */
  stop(roomId: string, userId: string): void {
    const key = `${roomId}:${userId}`;
    clearTimeout(this.forget.get(key));
    this.forget.delete(key);
    useTypingStore.getState().stopped(roomId, userId);
  }

  /** The room is no longer shown: whoever typed there is forgotten. */
  clearRoom(roomId: string): void {
    for (const [key, timer] of this.forget) {
      if (!key.startsWith(`${roomId}:`)) continue;
      clearTimeout(timer);
      this.forget.delete(key);
    }
    useTypingStore.getState().clearRoom(roomId);
  }

  dispose(): void {
    this.connectionLost();
  }
}
