// Runs in: the renderer. The chat view's behaviour: which room the user is looking at
// (room:enter / room:leave), what happens once entered (the latest page, or the page
// around a message), read reports, and rooms going away. History paging is in
// history.ts, sending in outbox.ts. Components call these; socketEvents.ts calls some too.
import type { ApiError, RoomEnterAnswer, RoomRemovedReason } from '../../shared/contract';
import { isNotNow, refusalOf, retryDelay } from '../lib/backoff';
import { useMessagesStore } from '../stores/messages';
import { usePresenceStore } from '../stores/presence';
import { useRoomsStore } from '../stores/rooms';
import { selectViewingRoomId, useViewStore, type RoomTab } from '../stores/view';
import { getBridge } from '../platform/bridge';
import { catchUpRoom, resumeAtTail, showAround } from './history';
import { outboxConnectionLost, resetOutbox } from './outbox';
import { ReadReporter } from './readReports';
import { getRuntime, isWindowFocused, type Runtime } from './runtime';

const ENTER_TIMEOUT_MS = 15_000;
const READ_TIMEOUT_MS = 10_000;

/** The room this connection has entered (room:enter sent), with a generation to drop stale answers. */
let entered: { roomId: string; gen: number } | null = null;
let enterGen = 0;
/** "Not now" refusals of room:enter in a row, and the timer of the next try. */
let enterRefusals = 0;
let enterRetry: { roomId: string; timer: ReturnType<typeof setTimeout> } | null = null;
let reportedActive: string | null | undefined;
/** A message to open the room at, once it is entered (a notification or a link). */
let target: { roomId: string; messageId: string } | null = null;
/** Read reports of the signed-in session (it owns the timers, so sign-out must dispose it). */
let reads: { runtime: Runtime; reporter: ReadReporter } | null = null;
/** Rooms the user is leaving or deleting themselves: no "you were removed" alert for those. */
const expectedRemovals = new Set<string>();

export function resetChatState(): void {
  entered = null;
  reportedActive = undefined;
  target = null;
  enterRefusals = 0;
  cancelEnterRetry();
  reads?.reporter.dispose();
  reads = null;
  expectedRemovals.clear();
  resetOutbox();
}

const isCurrent = (roomId: string, gen: number) => entered?.roomId === roomId && entered.gen === gen;

/** The room whose chat this connection has entered, if any. */
export const enteredRoomId = (): string | null => entered?.roomId ?? null;

// ---------- navigation ----------

/** Selects a room (or none) and a tab; leaving a room's chat view and entering the next follow. */
export function selectRoom(roomId: string | null, tab: RoomTab = 'chat'): void {
  const view = useViewStore.getState();
  const previous = view.selectedRoomId;
  if (previous === roomId) {
    if (view.tab !== tab) view.setTab(tab);
    syncView();
    return;
  }
  view.select(roomId, tab);
  syncView();
  if (previous) {
    useMessagesStore.getState().dropTimeline(previous);
    usePresenceStore.getState().clearRoom(previous);
  }
}

/**
 * Opens a room at one of its messages (a notification, a link): the page around it,
 * with the message in view. Already open with the message held: just shown there.
 */
export function openRoomAt(roomId: string, messageId: string): void {
  const view = useViewStore.getState();
  if (entered?.roomId === roomId && view.selectedRoomId === roomId && view.tab === 'chat' && useMessagesStore.getState().timelines[roomId]?.loaded) {
    target = null;
    void showAround(roomId, messageId);
    return;
  }
  target = { roomId, messageId };
  selectRoom(roomId, 'chat');
}

export function setTab(tab: RoomTab): void {
  useViewStore.getState().setTab(tab);
  syncView();
}

/**
 * Brings the connection in line with the view: room:leave for a room no longer shown
 * (after reporting how far it was read), room:enter for the one now shown, and tells the
 * host which room is open.
 */
export function syncView(): void {
  const runtime = getRuntime();
  const want = runtime ? selectViewingRoomId(useViewStore.getState()) : null;
  if (reportedActive !== want) {
    reportedActive = want;
    getBridge().setActiveRoom(want);
  }
  if (entered && entered.roomId !== want) {
    const roomId = entered.roomId;
    entered = null;
    flushReads(roomId);
    if (runtime?.socket.connected) runtime.socket.emit('room:leave', { roomId });
    usePresenceStore.getState().clearRoom(roomId);
  }
  if (target && target.roomId !== want) target = null;
  if (enterRetry && enterRetry.roomId !== want) cancelEnterRetry();
  if (runtime && want && !entered && !enterRetry && runtime.socket.connected) enterRoom(runtime, want);
}

/** The connection dropped: the server has forgotten which room this client viewed. */
export function connectionLost(): void {
  entered = null;
  outboxConnectionLost();
}

function enterRoom(runtime: Runtime, roomId: string): void {
  const gen = ++enterGen;
  entered = { roomId, gen };
  // A window held from before (a reconnect, or back from the Manage tab) resumes from its
  // newest message as of now: a push arriving while the enter is in flight would hide the gap.
  const held = useMessagesStore.getState().timelines[roomId];
  const resumeFrom = held?.loaded ? (held.messages.at(-1)?.seq ?? 0) : null;
  useMessagesStore.getState().beginTimeline(roomId);
  usePresenceStore.getState().clearRoom(roomId);
  runtime.socket.timeout(ENTER_TIMEOUT_MS).emit('room:enter', { roomId }, (err, answer) => {
    if (!isCurrent(roomId, gen)) return;
    if (err) {
      // No answer in time on a live connection: try again shortly.
      entered = null;
      retryEnter(roomId, 1000);
      return;
    }
    if (!answer.ok) {
      entered = null;
      enterRefused(roomId, answer.error);
      return;
    }
    enterRefusals = 0;
    void onEntered(runtime, roomId, gen, answer, resumeFrom);
  });
}

function retryEnter(roomId: string, ms: number): void {
  cancelEnterRetry();
  const timer = setTimeout(() => {
    enterRetry = null;
    syncView();
  }, ms);
  enterRetry = { roomId, timer };
}

function cancelEnterRetry(): void {
  if (enterRetry) clearTimeout(enterRetry.timer);
  enterRetry = null;
}

async function onEntered(runtime: Runtime, roomId: string, gen: number, answer: RoomEnterAnswer, resumeFrom: number | null): Promise<void> {
  usePresenceStore.getState().setViewers(roomId, answer.viewers);
  const stillHere = () => isCurrent(roomId, gen);
  const store = useMessagesStore.getState();
  const latest = { messages: answer.messages, hasMore: answer.hasMore, hasOlder: answer.hasOlder, hasNewer: false };
  const knownTail = answer.messages[answer.messages.length - 1]?.seq ?? 0;
  if (target?.roomId === roomId) {
    const { messageId } = target;
    target = null;
    // Count what arrives from now on as new, then show the message.
    store.merge(roomId, answer.messages);
    await showAround(roomId, messageId, { fallback: latest, knownTail });
  } else if (resumeFrom === null) {
    store.showPage(roomId, latest, { kind: 'latest' });
  } else if (store.timelines[roomId]?.hasNewer) {
    // Away from the tail: the latest page only counts (and holds) what arrived meanwhile.
    store.merge(roomId, answer.messages);
  } else {
    await resumeAtTail(runtime, roomId, latest, resumeFrom, stillHere);
  }
  if (!stillHere()) return;
  const newest = useMessagesStore.getState().timelines[roomId]?.messages.at(-1)?.seq ?? 0;
  usePresenceStore.getState().anchorLines(roomId, newest);
  markReadIfSeen();
}

function enterRefused(roomId: string, error: ApiError): void {
  if (error.code === 'room_not_found') {
    roomGone(roomId, 'removed');
    return;
  }
  if (isNotNow(error)) {
    // Too many enters, or the server is busy: try again later, quietly.
    enterRefusals += 1;
    retryEnter(roomId, retryDelay(error, enterRefusals));
    return;
  }
  useViewStore.getState().showNotice(error.message);
}

/** The app woke or the network came back while connected: fetch what may have been missed. */
export async function catchUpOpenRoom(): Promise<void> {
  const runtime = getRuntime();
  if (!runtime || !entered) return;
  const { roomId, gen } = entered;
  await catchUpRoom(runtime, roomId, () => isCurrent(roomId, gen));
  if (isCurrent(roomId, gen)) markReadIfSeen();
}

// ---------- read reports ----------

function readReporter(runtime: Runtime): ReadReporter {
  if (reads?.runtime !== runtime) {
    reads?.reporter.dispose();
    reads = { runtime, reporter: new ReadReporter((roomId, seq) => sendRead(runtime, roomId, seq)) };
  }
  return reads.reporter;
}

/** One read report: room:read over the live connection, POST /read without one. */
function sendRead(runtime: Runtime, roomId: string, seq: number): Promise<void> {
  if (!runtime.socket.connected) return runtime.api.markRead(roomId, seq);
  return runtime.socket
    .timeout(READ_TIMEOUT_MS)
    .emitWithAck('room:read', { roomId, seq })
    .then(
      (answer) => {
        if (!answer.ok) throw answer.error;
      },
      (timedOut: unknown) => {
        throw refusalOf(timedOut);
      },
    );
}

/**
 * The user sees the open room (its window is shown in a focused window): it counts as
 * read up to the newest message held, and the server hears of it within a few seconds.
 */
export function markReadIfSeen(): void {
  const runtime = getRuntime();
  if (!runtime || !entered || !isWindowFocused()) return;
  const roomId = entered.roomId;
  const timeline = useMessagesStore.getState().timelines[roomId];
  if (!timeline?.loaded) return;
  useRoomsStore.getState().markedRead(roomId);
  const newest = timeline.messages.at(-1)?.seq;
  if (newest) readReporter(runtime).seen(roomId, newest);
}

/** Sends waiting read reports now: for a room being left, or all of them (focus lost, closing, signing out). */
export function flushReads(roomId?: string): void {
  if (reads && reads.runtime === getRuntime()) reads.reporter.flush(roomId);
}

// ---------- rooms going away ----------

export function expectRemoval(roomId: string): void {
  expectedRemovals.add(roomId);
}
export function cancelExpectedRemoval(roomId: string): void {
  expectedRemovals.delete(roomId);
}

/**
 * The user is no longer in a room (removed, left, or it was deleted): it leaves the list,
 * and if it was open, the user is back at the list with an alert saying why.
 */
export function roomGone(roomId: string, reason: RoomRemovedReason): void {
  const name = useRoomsStore.getState().rooms.find((r) => r.id === roomId)?.name ?? 'The room';
  const expected = expectedRemovals.delete(roomId);
  const wasSelected = useViewStore.getState().selectedRoomId === roomId;
  // The server has already taken this user out of the room's view: no room:leave.
  if (entered?.roomId === roomId) entered = null;
  useRoomsStore.getState().roomRemoved(roomId);
  useMessagesStore.getState().dropTimeline(roomId);
  useMessagesStore.getState().dropOutbox(roomId);
  usePresenceStore.getState().clearRoom(roomId);
  reads?.reporter.forget(roomId);
  if (!wasSelected) return;
  useViewStore.getState().select(null);
  if (!expected && reason !== 'left') {
    useViewStore.getState().showNotice(reason === 'deleted' ? `${name} was deleted` : `You were removed from ${name}`);
  }
  syncView();
}
