// Runs in: the renderer. The chat view's behaviour: which room the user is looking at
// (room:enter / room:leave), history paging, catching up, sending with retries by
// clientId, and read markers. Components call these; socketEvents.ts calls some too.
import { catchUpCursor, LIMITS, type ApiError, type RoomEnterAnswer, type RoomRemovedReason } from '../../shared/contract';
import { errorMessage, isSessionError } from '../api/client';
import { newClientId } from '../lib/clientId';
import { allPending, findPending, useMessagesStore } from '../stores/messages';
import { usePresenceStore } from '../stores/presence';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { selectViewingRoomId, useViewStore, type RoomTab } from '../stores/view';
import { getBridge } from '../platform/bridge';
import { getRuntime, isWindowFocused, type Runtime } from './runtime';

const ENTER_TIMEOUT_MS = 15_000;
const SEND_TIMEOUT_MS = 15_000;
const OLDER_PAGE = 100;
const CATCH_UP_PAGE = LIMITS.historyMax;

/** The room this connection has entered (room:enter sent), with a generation to drop stale answers. */
let entered: { roomId: string; gen: number } | null = null;
let enterGen = 0;
let reportedActive: string | null | undefined;
const lastMarked = new Map<string, string>();
/** Rooms the user is leaving or deleting themselves: no "you were removed" alert for those. */
const expectedRemovals = new Set<string>();
/** The latest attempt per clientId: an answer to an older attempt changes nothing. */
const attempts = new Map<string, number>();

export function resetChatState(): void {
  entered = null;
  reportedActive = undefined;
  lastMarked.clear();
  expectedRemovals.clear();
  attempts.clear();
}

const selfId = () => useSessionStore.getState().session?.user.id ?? null;
const isCurrent = (roomId: string, gen: number) => entered?.roomId === roomId && entered.gen === gen;

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

export function setTab(tab: RoomTab): void {
  useViewStore.getState().setTab(tab);
  syncView();
}

/**
 * Brings the connection in line with the view: room:leave for a room no longer shown,
 * room:enter for the one now shown, and tells the host which room is open.
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
    if (runtime?.socket.connected) runtime.socket.emit('room:leave', { roomId });
    usePresenceStore.getState().clearRoom(roomId);
  }
  if (runtime && want && !entered && runtime.socket.connected) enterRoom(runtime, want);
}

/** The connection dropped: the server has forgotten which room this client viewed. */
export function connectionLost(): void {
  entered = null;
}

function enterRoom(runtime: Runtime, roomId: string): void {
  const gen = ++enterGen;
  entered = { roomId, gen };
  // Where a catch-up starts: the newest message held now, before any push that arrives
  // while the enter is in flight (which would otherwise hide the gap before it).
  const held = useMessagesStore.getState().timelines[roomId];
  const resumeAfter = held?.loaded ? held.messages.at(-1)?.id : undefined;
  useMessagesStore.getState().beginTimeline(roomId);
  usePresenceStore.getState().clearRoom(roomId);
  runtime.socket.timeout(ENTER_TIMEOUT_MS).emit('room:enter', { roomId }, (err, answer) => {
    if (!isCurrent(roomId, gen)) return;
    if (err) {
      // No answer in time on a live connection: try again shortly.
      entered = null;
      setTimeout(syncView, 1000);
      return;
    }
    if (!answer.ok) {
      entered = null;
      enterRefused(roomId, answer.error);
      return;
    }
    void onEntered(runtime, roomId, gen, answer, resumeAfter);
  });
}

async function onEntered(runtime: Runtime, roomId: string, gen: number, answer: RoomEnterAnswer, resumeAfter: string | undefined): Promise<void> {
  usePresenceStore.getState().setViewers(roomId, answer.viewers);
  if (resumeAfter) {
    // Back in a room whose history is held (after a reconnect, or from the Manage tab):
    // fetch what came after the newest message held rather than starting over.
    await catchUp(runtime, roomId, resumeAfter, () => isCurrent(roomId, gen));
  } else {
    useMessagesStore.getState().loadLatest(roomId, answer);
  }
  if (!isCurrent(roomId, gen)) return;
  const newest = useMessagesStore.getState().timelines[roomId]?.messages.at(-1)?.id ?? '';
  usePresenceStore.getState().anchorLines(roomId, newest);
  markReadIfSeen();
}

function enterRefused(roomId: string, error: ApiError): void {
  if (error.code === 'room_not_found') {
    roomGone(roomId, 'removed');
    return;
  }
  useViewStore.getState().showNotice(error.message);
}

/**
 * Every message after the newest one held, page by page until there is no more. It
 * starts a little before that message (catchUpCursor): a send that was still being
 * stored elsewhere can carry a smaller id than one already received. The merge by id
 * drops what is already held.
 */
async function catchUp(runtime: Runtime, roomId: string, from: string, stillWanted: () => boolean): Promise<void> {
  let after = catchUpCursor(from);
  try {
    for (;;) {
      const page = await runtime.api.history(roomId, { after, limit: CATCH_UP_PAGE });
      if (!stillWanted() || getRuntime() !== runtime) return;
      useMessagesStore.getState().merge(roomId, page.messages);
      const last = page.messages.at(-1);
      if (!page.hasMore || !last) return;
      after = last.id;
    }
  } catch (error) {
    // A dropped connection ends the loop; the next reconnect catches up again.
    if (!isSessionError(error)) console.warn('catch-up failed', error);
  }
}

/** The app woke or the network came back while connected: fetch what may have been missed. */
export async function catchUpOpenRoom(): Promise<void> {
  const runtime = getRuntime();
  if (!runtime || !entered) return;
  const { roomId, gen } = entered;
  const from = useMessagesStore.getState().timelines[roomId]?.messages.at(-1)?.id;
  if (!from) return;
  await catchUp(runtime, roomId, from, () => isCurrent(roomId, gen));
  if (isCurrent(roomId, gen)) markReadIfSeen();
}

// ---------- history ----------

export async function loadOlder(roomId: string): Promise<void> {
  const runtime = getRuntime();
  const timeline = useMessagesStore.getState().timelines[roomId];
  if (!runtime || !timeline?.loaded || !timeline.hasOlder || timeline.loadingOlder) return;
  const oldest = timeline.messages[0]?.id;
  if (!oldest) return;
  const store = useMessagesStore.getState();
  store.setLoadingOlder(roomId, true);
  try {
    const page = await runtime.api.history(roomId, { before: oldest, limit: OLDER_PAGE });
    if (getRuntime() !== runtime) return;
    useMessagesStore.getState().prependPage(roomId, page);
  } catch (error) {
    useMessagesStore.getState().setLoadingOlder(roomId, false);
    if (!isSessionError(error)) useViewStore.getState().showNotice(errorMessage(error));
  }
}

/**
 * Loads everything back to the room's first message (pages of the largest size, applied
 * at once), so the list can scroll to the true start. Resolves true when it got there.
 */
export async function loadToFirst(roomId: string, onProgress?: (fetched: number) => void): Promise<boolean> {
  const runtime = getRuntime();
  const timeline = useMessagesStore.getState().timelines[roomId];
  if (!runtime || !timeline?.loaded) return false;
  if (!timeline.hasOlder) return true;
  useMessagesStore.getState().setLoadingOlder(roomId, true);
  try {
    let before = timeline.messages[0]?.id;
    const pages = [];
    let fetched = 0;
    let hasMore = true;
    while (before && hasMore) {
      const page = await runtime.api.history(roomId, { before, limit: LIMITS.historyMax });
      if (getRuntime() !== runtime || !useMessagesStore.getState().timelines[roomId]) return false;
      pages.unshift(page.messages);
      fetched += page.messages.length;
      onProgress?.(fetched);
      hasMore = page.hasMore;
      before = page.messages[0]?.id;
    }
    useMessagesStore.getState().prependPage(roomId, { messages: pages.flat(), hasMore: false });
    return true;
  } catch (error) {
    useMessagesStore.getState().setLoadingOlder(roomId, false);
    if (!isSessionError(error)) useViewStore.getState().showNotice(errorMessage(error));
    return false;
  }
}

// ---------- read markers ----------

/** Marks the open room read up to its newest message, when the user can see it. */
export function markReadIfSeen(): void {
  const runtime = getRuntime();
  if (!runtime || !entered || !isWindowFocused()) return;
  const roomId = entered.roomId;
  const timeline = useMessagesStore.getState().timelines[roomId];
  if (!timeline?.loaded) return;
  useRoomsStore.getState().markedRead(roomId);
  const newest = timeline.messages.at(-1)?.id;
  if (!newest) return;
  const marked = lastMarked.get(roomId);
  if (marked && marked >= newest) return;
  lastMarked.set(roomId, newest);
  runtime.api.markRead(roomId, newest).catch(() => {
    if (lastMarked.get(roomId) === newest) lastMarked.delete(roomId);
  });
}

// ---------- sending ----------

/** Queues a message and sends it; false when there is nothing to send. */
export function sendMessage(roomId: string, text: string): boolean {
  const author = selfId();
  const clean = text.trim();
  if (!author || !clean || clean.length > LIMITS.messageMax) return false;
  const clientId = newClientId();
  useMessagesStore.getState().addPending({
    clientId,
    roomId,
    authorId: author,
    text: clean,
    status: 'sending',
    error: null,
    createdAt: new Date().toISOString(),
  });
  transmit(clientId);
  return true;
}

/** Sends a failed message again, with the same clientId (the server stores it once). */
export function retryMessage(clientId: string): void {
  useMessagesStore.getState().markSending(clientId);
  transmit(clientId);
}

/** After reconnecting: every message still waiting for its answer is sent once more. */
export function resendUnsent(): void {
  for (const pending of allPending(useMessagesStore.getState())) {
    if (pending.status === 'sending') transmit(pending.clientId);
  }
}

function transmit(clientId: string): void {
  const runtime = getRuntime();
  const pending = findPending(useMessagesStore.getState(), clientId);
  if (!runtime || !pending) return;
  // Offline, it stays "Sending…" and goes out when the connection is back (resendUnsent).
  if (!runtime.socket.connected) return;
  const attempt = (attempts.get(clientId) ?? 0) + 1;
  attempts.set(clientId, attempt);
  const payload = { roomId: pending.roomId, clientId, text: pending.text };
  runtime.socket.timeout(SEND_TIMEOUT_MS).emit('message:send', payload, (err, answer) => {
    if (getRuntime() !== runtime || attempts.get(clientId) !== attempt) return;
    const messages = useMessagesStore.getState();
    if (err) {
      // Disconnected meanwhile: resendUnsent sends it again. Connected: give the user Retry.
      if (runtime.socket.connected) messages.markFailed(clientId, 'The server did not answer in time.');
      return;
    }
    attempts.delete(clientId);
    if (answer.ok) {
      messages.confirmSent(answer.message);
      useRoomsStore.getState().messageArrived(answer.message, { viewing: true, selfId: selfId() });
      if (entered?.roomId === answer.message.roomId) markReadIfSeen();
    } else {
      messages.markFailed(clientId, answer.error.message);
    }
  });
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
  lastMarked.delete(roomId);
  if (!wasSelected) return;
  useViewStore.getState().select(null);
  if (!expected && reason !== 'left') {
    useViewStore.getState().showNotice(reason === 'deleted' ? `${name} was deleted` : `You were removed from ${name}`);
  }
  syncView();
}
