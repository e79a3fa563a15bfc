// Runs in: the renderer. Sending: each room's outbox goes out one message at a time, in
// the order typed, each with its clientId, made at the moment the user sends (the server
// stores a clientId once, so sending again is always safe). The outbox is kept in the
// account's local store under `outbox`, so what was typed offline survives a reload or a
// restart and goes out, once, when the connection is back. "Not now" refusals
// (rate_limited, overloaded, the server briefly unavailable) and unanswered sends keep
// the message as "Sending…" and send it again after a back-off; other refusals mark it
// failed, with Retry. A message waiting can be cancelled.
import { LIMITS } from '../../shared/contractValues';
import { isNotNow, retryDelay } from '../lib/backoff';
import { newClientId } from '../lib/clientId';
import { allPending, findPending, useMessagesStore, type PendingMessage } from '../stores/messages';
import { useRoomsStore } from '../stores/rooms';
import type { ChatSession } from './ChatSession';

const SEND_TIMEOUT_MS = 15_000;
/** The local store key of the pending messages (PendingMessage[]). */
export const OUTBOX_KEY = 'outbox';

/** What is kept of a pending message: enough to send it again with the same clientId. */
type StoredPending = Pick<PendingMessage, 'clientId' | 'roomId' | 'text' | 'createdAt' | 'status' | 'error'>;

export class Outbox {
  /** Per room: the send whose answer is awaited. */
  private readonly inFlight = new Map<string, { clientId: string; attempt: number }>();
  /** Per room: the timer until the next try after a "not now" or no answer. */
  private readonly waiting = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per room: refusals or timeouts in a row, for the back-off. */
  private readonly refusals = new Map<string, number>();
  private attempts = 0;
  /** Writes of the outbox to the local store, one after another (the last one wins). */
  private saving: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly s: ChatSession) {}

  /**
   * Brings back what was waiting when the app last closed (placed before anything typed
   * since), then keeps the local store in step with the outbox and sends what waits.
   */
  async restore(): Promise<void> {
    let stored: StoredPending[] = [];
    try {
      stored = (await this.s.localStore.get<StoredPending[]>(OUTBOX_KEY)) ?? [];
    } catch (error) {
      console.warn('could not read the outbox', error);
    }
    if (this.s.disposed) return;
    const restored = stored
      .filter(isStoredPending)
      .map((p): PendingMessage => ({ ...p, authorId: this.s.selfId, status: p.status === 'failed' ? 'failed' : 'sending', error: p.error ?? null }));
    if (restored.length) useMessagesStore.getState().restorePending(restored);
    let last = useMessagesStore.getState().outbox;
    this.unsubscribe = useMessagesStore.subscribe((state) => {
      if (state.outbox === last) return;
      last = state.outbox;
      this.save(allPending(state));
    });
    if (restored.length) this.save(allPending(useMessagesStore.getState()));
    this.resendUnsent();
  }

  private save(pending: PendingMessage[]): void {
    const value: StoredPending[] = pending.map(({ clientId, roomId, text, createdAt, status, error }) => ({
      clientId,
      roomId,
      text,
      createdAt,
      status,
      error,
    }));
    const store = this.s.localStore;
    this.saving = this.saving.then(() => store.set(OUTBOX_KEY, value)).catch((error: unknown) => console.warn('could not save the outbox', error));
  }

  /** Queues a message and sends it; false when there is nothing to send. The clientId is made now, before anything waits. */
  send(roomId: string, text: string): boolean {
    const clean = text.trim();
    if (this.s.disposed || !clean || clean.length > LIMITS.messageMax) return false;
    useMessagesStore.getState().addPending({
      clientId: newClientId(),
      roomId,
      authorId: this.s.selfId,
      text: clean,
      status: 'sending',
      error: null,
      createdAt: new Date().toISOString(),
    });
    // Writing while reading old history: back to the tail, where the message will appear.
    if (useMessagesStore.getState().timelines[roomId]?.hasNewer) void this.s.history.jumpToLatest(roomId);
    this.pump(roomId);
    return true;
  }

  /** Sends a failed message again, with the same clientId. */
  retry(clientId: string): void {
    const pending = findPending(useMessagesStore.getState(), clientId);
    if (!pending || this.s.disposed) return;
    useMessagesStore.getState().markSending(clientId);
    this.pump(pending.roomId);
  }

  /**
   * The user gives up on a message that has not been sent. One whose send is on its way
   * may still be stored; it then shows up as a sent message.
   */
  cancel(clientId: string): void {
    const pending = findPending(useMessagesStore.getState(), clientId);
    if (!pending) return;
    useMessagesStore.getState().dropPending(clientId);
    if (this.inFlight.get(pending.roomId)?.clientId === clientId) {
      this.inFlight.delete(pending.roomId);
      this.pump(pending.roomId);
    }
  }

  /** The room is gone: what waits for it can never be sent. */
  dropRoom(roomId: string): void {
    this.inFlight.delete(roomId);
    this.clearWaiting(roomId);
    useMessagesStore.getState().dropOutbox(roomId);
  }

  /** Messages not yet sent (waiting or failed): signing out asks before dropping them. */
  unsentCount(): number {
    return allPending(useMessagesStore.getState()).length;
  }

  /** After reconnecting: every room's waiting messages go out again, in order. */
  resendUnsent(): void {
    for (const roomId of Object.keys(useMessagesStore.getState().outbox)) this.pump(roomId);
  }

  /** The connection dropped: answers to sends in flight will not come (resendUnsent sends them again). */
  connectionLost(): void {
    this.inFlight.clear();
    for (const roomId of [...this.waiting.keys()]) this.clearWaiting(roomId);
  }

  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.inFlight.clear();
    for (const roomId of [...this.waiting.keys()]) this.clearWaiting(roomId);
    this.refusals.clear();
  }

  private clearWaiting(roomId: string): void {
    const timer = this.waiting.get(roomId);
    if (timer) clearTimeout(timer);
    this.waiting.delete(roomId);
  }

  private backOff(roomId: string, error: Parameters<typeof retryDelay>[0]): void {
    const count = (this.refusals.get(roomId) ?? 0) + 1;
    this.refusals.set(roomId, count);
    this.waiting.set(
      roomId,
      setTimeout(
        () => {
          this.waiting.delete(roomId);
          this.pump(roomId);
        },
        retryDelay(error, count),
      ),
    );
  }

  /**
   * Sends the room's oldest waiting message, unless one is awaited or backing off. A
   * failed message does not hold back the ones after it: it was refused, not stored.
   */
  private pump(roomId: string): void {
    const { socket } = this.s;
    // Offline, messages stay "Sending…" and go out when the connection is back (resendUnsent).
    if (this.s.disposed || !socket.connected || this.inFlight.has(roomId) || this.waiting.has(roomId)) return;
    const next = useMessagesStore.getState().outbox[roomId]?.find((p) => p.status === 'sending');
    if (!next) return;
    const { clientId } = next;
    const attempt = ++this.attempts;
    this.inFlight.set(roomId, { clientId, attempt });
    const payload = { roomId, clientId, text: next.text };
    socket.timeout(SEND_TIMEOUT_MS).emit('message:send', payload, (err, answer) => {
      // An answer to an attempt that was given up on (disconnect, cancel, sign-out) changes nothing.
      if (this.s.disposed || this.inFlight.get(roomId)?.attempt !== attempt) return;
      this.inFlight.delete(roomId);
      const messages = useMessagesStore.getState();
      if (err) {
        // No answer: disconnected, it goes again on reconnect; on a live connection, again
        // after a back-off, and still first, so nothing typed after it can overtake it.
        if (socket.connected) this.backOff(roomId, {});
        return;
      }
      if (answer.ok) {
        this.refusals.delete(roomId);
        messages.confirmSent(answer.message);
        useRoomsStore.getState().messageArrived(answer.message, { viewing: true, selfId: this.s.selfId });
        if (this.s.navigation.enteredRoomId() === roomId) this.s.navigation.markReadIfSeen();
      } else if (isNotNow(answer.error)) {
        this.backOff(roomId, answer.error);
        return;
      } else {
        messages.markFailed(clientId, answer.error.message);
      }
      this.pump(roomId);
    });
  }
}

function isStoredPending(value: unknown): value is StoredPending {
  const p = value as StoredPending | null;
  return !!p && typeof p.clientId === 'string' && typeof p.roomId === 'string' && typeof p.text === 'string' && typeof p.createdAt === 'string';
}
