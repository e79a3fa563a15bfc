// Runs in: the renderer. Sending: each room's outbox goes out one message at a time, in
// the order typed, each with its clientId (the server stores a clientId once, so sending
// again is always safe). "Not now" refusals (rate_limited, overloaded, the server briefly
// unavailable) keep the message as "Sending…" and send it again after the server's
// retryAfterMs with jitter; other refusals mark it failed, with Retry.
import { LIMITS } from '../../shared/contract';
import { isNotNow, retryDelay } from '../lib/backoff';
import { newClientId } from '../lib/clientId';
import { findPending, useMessagesStore } from '../stores/messages';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { enteredRoomId, markReadIfSeen } from './chat';
import { jumpToLatest } from './history';
import { getRuntime } from './runtime';

const SEND_TIMEOUT_MS = 15_000;

/** Per room: the send whose answer is awaited. */
const inFlight = new Map<string, { clientId: string; attempt: number }>();
/** Per room: the timer until the next try after a "not now". */
const waiting = new Map<string, ReturnType<typeof setTimeout>>();
/** Per room: "not now" refusals in a row, for the back-off. */
const refusals = new Map<string, number>();
let attempts = 0;

const selfId = () => useSessionStore.getState().session?.user.id ?? null;

export function resetOutbox(): void {
  inFlight.clear();
  for (const timer of waiting.values()) clearTimeout(timer);
  waiting.clear();
  refusals.clear();
}

/** The connection dropped: answers to sends in flight will not come (resendUnsent sends them again). */
export function outboxConnectionLost(): void {
  inFlight.clear();
}

/** Queues a message and sends it; false when there is nothing to send. */
export function sendMessage(roomId: string, text: string): boolean {
  const author = selfId();
  const clean = text.trim();
  if (!author || !clean || clean.length > LIMITS.messageMax) return false;
  useMessagesStore.getState().addPending({
    clientId: newClientId(),
    roomId,
    authorId: author,
    text: clean,
    status: 'sending',
    error: null,
    createdAt: new Date().toISOString(),
  });
  // Writing while reading old history: back to the tail, where the message will appear.
  if (useMessagesStore.getState().timelines[roomId]?.hasNewer) void jumpToLatest(roomId);
  pump(roomId);
  return true;
}

/** Sends a failed message again, with the same clientId. */
export function retryMessage(clientId: string): void {
  const pending = findPending(useMessagesStore.getState(), clientId);
  if (!pending) return;
  useMessagesStore.getState().markSending(clientId);
  pump(pending.roomId);
}

/** After reconnecting: every room's waiting messages go out again, in order. */
export function resendUnsent(): void {
  for (const roomId of Object.keys(useMessagesStore.getState().outbox)) pump(roomId);
}

/** Sends the room's oldest waiting message, unless one is awaited or backing off. */
function pump(roomId: string): void {
  const runtime = getRuntime();
  // Offline, messages stay "Sending…" and go out when the connection is back (resendUnsent).
  if (!runtime?.socket.connected || inFlight.has(roomId) || waiting.has(roomId)) return;
  const next = useMessagesStore.getState().outbox[roomId]?.find((p) => p.status === 'sending');
  if (!next) return;
  const { clientId } = next;
  const attempt = ++attempts;
  inFlight.set(roomId, { clientId, attempt });
  const payload = { roomId, clientId, text: next.text };
  runtime.socket.timeout(SEND_TIMEOUT_MS).emit('message:send', payload, (err, answer) => {
    // An answer to an attempt that was given up on (disconnect, sign-out) changes nothing.
    if (getRuntime() !== runtime || inFlight.get(roomId)?.attempt !== attempt) return;
    inFlight.delete(roomId);
    const messages = useMessagesStore.getState();
    if (err) {
      // No answer on a live connection: the user decides (Retry). Disconnected: sent again on reconnect.
      if (!runtime.socket.connected) return;
      messages.markFailed(clientId, 'The server did not answer in time.');
    } else if (answer.ok) {
      refusals.delete(roomId);
      messages.confirmSent(answer.message);
      useRoomsStore.getState().messageArrived(answer.message, { viewing: true, selfId: selfId() });
      if (enteredRoomId() === roomId) markReadIfSeen();
    } else if (isNotNow(answer.error)) {
      const count = (refusals.get(roomId) ?? 0) + 1;
      refusals.set(roomId, count);
      waiting.set(
        roomId,
        setTimeout(() => {
          waiting.delete(roomId);
          pump(roomId);
        }, retryDelay(answer.error, count)),
      );
      return;
    } else {
      messages.markFailed(clientId, answer.error.message);
    }
    pump(roomId);
  });
}
