// Runs in: the renderer. The chat view's behaviour within a session: which room the user
// is looking at (room:enter / room:leave), what happens once entered (the latest page, or
// the page around a message), read reports, and rooms going away. History paging is in
// history.ts, sending in outbox.ts. Components call these through the ChatSession;
// realtime/socketEvents.ts calls some too.
import type { ApiError, RoomEnterAnswer, RoomRemovedReason } from '../../shared/contract';
import { afterNextPaint } from '../lib/afterPaint';
import { isNotNow, refusalOf, retryDelay } from '../lib/backoff';
import { useMessagesStore } from '../stores/messages';
import { usePresenceStore } from '../stores/presence';
import { useRoomsStore } from '../stores/rooms';
import { firstUnreadSeq, useUnreadLineStore } from '../stores/unreadLine';
import { selectViewingRoomId, useViewStore, type RoomTab } from '../stores/view';
import type { ChatSession } from './ChatSession';

const ENTER_TIMEOUT_MS = 15_000;
/** The longest a room painted from the cache waits to be entered (a hidden window paints no frame). */
const ENTER_AFTER_PAINT_MS = 100;
const READ_TIMEOUT_MS = 10_000;

/** The window is visible and has keyboard focus: what the user sees counts as read. */
export function isWindowFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export class RoomNavigator {
  /** The room this connection has entered (room:enter sent), with a generation to drop stale answers. */
  private entered: { roomId: string; gen: number } | null = null;
  private enterGen = 0;
  /** "Not now" refusals of room:enter in a row, and the timer of the next try. */
  private enterRefusals = 0;
  /** An enter put off (a retry, or until the cached page is painted): nothing enters the room meanwhile. */
  private enterRetry: { roomId: string; cancel: () => void } | null = null;
  private reportedActive: string | null | undefined;
  /** A message to open the room at, once it is entered (a notification or a link). */
  private target: { roomId: string; messageId: string } | null = null;
  /** Rooms the user is leaving or deleting themselves: no "you were removed" alert for those. */
  private readonly expectedRemovals = new Set<string>();

  constructor(private readonly s: ChatSession) {}

  private isCurrent(roomId: string, gen: number): boolean {
    return !this.s.disposed && this.entered?.roomId === roomId && this.entered.gen === gen;
  }

  /** The room whose chat this connection has entered, if any. */
  enteredRoomId(): string | null {
    return this.entered?.roomId ?? null;
  }

  // ---------- navigation ----------

  /**
   * Opens a room (or none). A different room opens on `tab` (Chat unless said); the room
   * already open stays on its tab unless one is asked for, so clicking it changes nothing.
   */
  openRoom(roomId: string | null, tab?: RoomTab): void {
    if (this.s.disposed) return;
    const view = useViewStore.getState();
    const previous = view.selectedRoomId;
    if (previous === roomId) {
      if (tab && view.tab !== tab) view.setTab(tab);
      this.syncView();
      return;
    }
    // Unread messages: the room opens at the first of them, under a "New messages" line.
    if (roomId && this.target?.roomId !== roomId) {
      const room = useRoomsStore.getState().rooms.find((r) => r.id === roomId);
      const firstUnread = room ? firstUnreadSeq(room.lastMessage?.seq, room.unreadCount) : null;
      if (firstUnread !== null) useUnreadLineStore.getState().set(roomId, firstUnread);
    }
    view.select(roomId, tab ?? 'chat');
    // A room opened in an earlier session shows its cached latest page at once; entering
    // it then merges the server's (not when it opens at a message: that page comes next).
    if (roomId && this.target?.roomId !== roomId && this.s.cache.paintRoom(roomId)) this.enterAfterPaint(roomId);
    this.syncView();
    if (previous) {
      useMessagesStore.getState().dropTimeline(previous);
      usePresenceStore.getState().clearRoom(previous);
      this.s.typing.clearRoom(previous);
      useUnreadLineStore.getState().clear(previous);
    }
  }

  /**
   * Opens a room at one of its messages (a notification, a link): the page around it,
   * with the message in view. Already open with the message held: just shown there.
   */
  openRoomAt(roomId: string, messageId: string): void {
    if (this.s.disposed) return;
    const view = useViewStore.getState();
    if (this.entered?.roomId === roomId && view.selectedRoomId === roomId && view.tab === 'chat' && useMessagesStore.getState().timelines[roomId]?.loaded) {
      this.target = null;
      void this.s.history.showAround(roomId, messageId);
      return;
    }
    this.target = { roomId, messageId };
    this.openRoom(roomId, 'chat');
  }

  showTab(tab: RoomTab): void {
    if (this.s.disposed) return;
    useViewStore.getState().setTab(tab);
    this.syncView();
  }

  /**
   * Brings the connection in line with the view: room:leave for a room no longer shown
   * (after reporting how far it was read), room:enter for the one now shown, and tells the
   * host which room is open.
   */
  syncView(): void {
    const live = !this.s.disposed;
    const want = live ? selectViewingRoomId(useViewStore.getState()) : null;
    if (this.reportedActive !== want) {
      this.reportedActive = want;
      this.s.bridge.setActiveRoom(want);
    }
    if (this.entered && this.entered.roomId !== want) {
      const roomId = this.entered.roomId;
      this.entered = null;
      this.flushReads(roomId);
      if (live && this.s.socket.connected) this.s.socket.emit('room:leave', { roomId });
      usePresenceStore.getState().clearRoom(roomId);
    }
    if (this.target && this.target.roomId !== want) this.target = null;
    if (this.enterRetry && this.enterRetry.roomId !== want) this.cancelEnterRetry();
    if (live && want && !this.entered && !this.enterRetry && this.s.socket.connected) this.enterRoom(want);
  }

  /** The connection dropped: the server has forgotten which room this client viewed, and who is here is unknown. */
  connectionLost(): void {
    this.entered = null;
    usePresenceStore.getState().clearViewers();
  }

  private enterRoom(roomId: string): void {
    const gen = ++this.enterGen;
    this.entered = { roomId, gen };
    // A window held from before (a reconnect, or back from the Manage tab) resumes from its
    // newest message as of now: a push arriving while the enter is in flight would hide the gap.
    const held = useMessagesStore.getState().timelines[roomId];
    const resumeFrom = held?.loaded ? (held.messages.at(-1)?.seq ?? 0) : null;
    useMessagesStore.getState().beginTimeline(roomId);
    usePresenceStore.getState().clearRoom(roomId);
    this.s.socket.timeout(ENTER_TIMEOUT_MS).emit('room:enter', { roomId }, (err, answer) => {
      if (!this.isCurrent(roomId, gen)) return;
      if (err) {
        // No answer in time on a live connection: try again shortly.
        this.entered = null;
        this.retryEnter(roomId, 1000);
        return;
      }
      if (!answer.ok) {
        this.entered = null;
        this.enterRefused(roomId, answer.error);
        return;
      }
      this.enterRefusals = 0;
      void this.onEntered(roomId, gen, answer, resumeFrom);
    });
  }

  private retryEnter(roomId: string, ms: number): void {
    this.cancelEnterRetry();
    const timer = setTimeout(() => {
      this.enterRetry = null;
      this.syncView();
    }, ms);
    this.enterRetry = { roomId, cancel: () => clearTimeout(timer) };
  }

  /**
   * Enters once the frame showing the room's cached page has been painted: the enter, and
   * the server's answer merged into the list, would otherwise be done before that first
   * paint (a quick server answers within it). At most ENTER_AFTER_PAINT_MS later, for a
   * window that paints no frames (hidden).
   */
  private enterAfterPaint(roomId: string): void {
    this.cancelEnterRetry();
    const go = () => {
      cancel();
      this.enterRetry = null;
      this.syncView();
    };
    const timer = setTimeout(go, ENTER_AFTER_PAINT_MS);
    const cancelPaintWait = afterNextPaint(go);
    const cancel = () => {
      clearTimeout(timer);
      cancelPaintWait();
    };
    this.enterRetry = { roomId, cancel };
  }

  private cancelEnterRetry(): void {
    this.enterRetry?.cancel();
    this.enterRetry = null;
  }

  private async onEntered(roomId: string, gen: number, answer: RoomEnterAnswer, resumeFrom: number | null): Promise<void> {
    usePresenceStore.getState().setViewers(roomId, answer.viewers);
    const stillHere = () => this.isCurrent(roomId, gen);
    const store = useMessagesStore.getState();
    const latest = { messages: answer.messages, hasMore: answer.hasMore, hasOlder: answer.hasOlder, hasNewer: false };
    const knownTail = answer.messages[answer.messages.length - 1]?.seq ?? 0;
    if (this.target?.roomId === roomId) {
      const { messageId } = this.target;
      this.target = null;
      // Count what arrives from now on as new, then show the message.
      store.merge(roomId, answer.messages);
      await this.s.history.showAround(roomId, messageId, { fallback: latest, knownTail });
    } else if (resumeFrom === null && useUnreadLineStore.getState().byRoom[roomId] !== undefined) {
      await this.s.history.showUnread(roomId, useUnreadLineStore.getState().byRoom[roomId]!, latest, knownTail);
    } else if (resumeFrom === null) {
      store.showPage(roomId, latest, { kind: 'latest' });
    } else if (store.timelines[roomId]?.hasNewer) {
      // Away from the tail: the latest page only counts (and holds) what arrived meanwhile.
      store.merge(roomId, answer.messages);
    } else {
      await this.s.history.resumeAtTail(roomId, latest, resumeFrom, stillHere);
    }
    if (!stillHere()) return;
    const newest = useMessagesStore.getState().timelines[roomId]?.messages.at(-1)?.seq ?? 0;
    usePresenceStore.getState().anchorLines(roomId, newest);
    this.markReadIfSeen();
  }

  private enterRefused(roomId: string, error: ApiError): void {
    if (error.code === 'room_not_found') {
      this.roomGone(roomId, 'removed');
      return;
    }
    if (isNotNow(error)) {
      // Too many enters, or the server is busy: try again later, quietly.
      this.enterRefusals += 1;
      this.retryEnter(roomId, retryDelay(error, this.enterRefusals));
      return;
    }
    useViewStore.getState().showNotice(error.message);
  }

  /** The app woke or the network came back while connected: fetch what may have been missed. */
  async catchUpOpenRoom(): Promise<void> {
    if (this.s.disposed || !this.entered) return;
    const { roomId, gen } = this.entered;
    await this.s.history.catchUpRoom(roomId, () => this.isCurrent(roomId, gen));
    if (this.isCurrent(roomId, gen)) this.markReadIfSeen();
  }

  // ---------- read reports ----------

  /** One read report: room:read over the live connection, POST /read without one. */
  sendRead(roomId: string, seq: number): Promise<void> {
    const { socket, api } = this.s;
    if (!socket.connected) return api.markRead(roomId, seq);
    return socket
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
  markReadIfSeen(): void {
    if (this.s.disposed || !this.entered || !isWindowFocused()) return;
    const roomId = this.entered.roomId;
    const timeline = useMessagesStore.getState().timelines[roomId];
    if (!timeline?.loaded) return;
    const newest = timeline.messages.at(-1)?.seq;
    if (!newest) return;
    // Opened at the "New messages" line: read only as far as the list has shown, and the
    // room counts as read once its newest message has been on screen.
    if (useUnreadLineStore.getState().byRoom[roomId] !== undefined) {
      const shown = useMessagesStore.getState().views[roomId]?.toSeq;
      if (shown === undefined) return;
      if (timeline.hasNewer || shown < newest) {
        this.s.reads.seen(roomId, shown);
        return;
      }
    }
    useRoomsStore.getState().markedRead(roomId);
    this.s.reads.seen(roomId, newest);
  }

  /** Sends waiting read reports now: for a room being left, or all of them (focus lost, closing, signing out). */
  flushReads(roomId?: string): void {
    this.s.reads.flush(roomId);
  }

  // ---------- rooms going away ----------

  expectRemoval(roomId: string): void {
    this.expectedRemovals.add(roomId);
  }

  cancelExpectedRemoval(roomId: string): void {
    this.expectedRemovals.delete(roomId);
  }

  /**
   * The user is no longer in a room (removed, left, or it was deleted, by `actor` when the
   * server says who): it leaves the list, and if it was open, the user is back at the
   * list with an alert saying why.
   */
  roomGone(roomId: string, reason: RoomRemovedReason, actor?: string): void {
    if (this.s.disposed) return;
    const name = useRoomsStore.getState().rooms.find((r) => r.id === roomId)?.name ?? 'The room';
    const expected = this.expectedRemovals.delete(roomId);
    const wasSelected = useViewStore.getState().selectedRoomId === roomId;
    // The server has already taken this user out of the room's view: no room:leave.
    if (this.entered?.roomId === roomId) this.entered = null;
    useRoomsStore.getState().roomRemoved(roomId);
    useMessagesStore.getState().dropTimeline(roomId);
    this.s.outbox.dropRoom(roomId);
    usePresenceStore.getState().clearRoom(roomId);
    this.s.typing.clearRoom(roomId);
    useUnreadLineStore.getState().clear(roomId);
    this.s.reads.forget(roomId);
    if (!wasSelected) return;
    useViewStore.getState().select(null);
    if (!expected && reason !== 'left') useViewStore.getState().showNotice(removalNotice(name, reason, actor));
    this.syncView();
  }

  /** Signed out: timers stop and the host hears that no room is open. */
  dispose(): void {
    this.cancelEnterRetry();
    this.target = null;
    this.expectedRemovals.clear();
    this.syncView();
    this.entered = null;
  }
}

/** "general was deleted by alice", "You were removed from general by bob". */
export function removalNotice(name: string, reason: RoomRemovedReason, actor?: string): string {
  const by = actor ? ` by ${actor}` : '';
  return reason === 'deleted' ? `${name} was deleted${by}` : `You were removed from ${name}${by}`;
}
