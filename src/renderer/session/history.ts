// Runs in: the renderer. Moving a room's history window: older and newer pages as the
// user scrolls, "Jump to first message" (?after=start), "Jump to latest" (the latest
// page), opening at a message (?around=), and catching up after a reconnect. The store
// (stores/historyWindow.ts) keeps the window bounded; this module fetches what it needs.
import type { HistoryPage } from '../../shared/contract';
import { catchUpCursor, LIMITS } from '../../shared/contractValues';
import { ApiRequestError, errorMessage, isSessionError, type HistoryRequest } from '../api/client';
import { withRetries } from '../lib/backoff';
import { WINDOW_MAX, type Timeline } from '../stores/historyWindow';
import { useMessagesStore } from '../stores/messages';
import { useViewStore } from '../stores/view';
import type { ChatSession } from './ChatSession';

/** Messages per page when scrolling: a few screens, so the next page is there before it is needed. */
export const PAGE_SIZE = 100;
const CATCH_UP_PAGE = LIMITS.historyMax;
/** Read messages shown above the "New messages" line when the room opens there. */
const UNREAD_CONTEXT = 5;

const timelineOf = (roomId: string): Timeline | undefined => useMessagesStore.getState().timelines[roomId];
const newestSeq = (t: Timeline) => t.messages[t.messages.length - 1]?.seq ?? 0;

function reportFailure(error: unknown): void {
  if (!isSessionError(error)) useViewStore.getState().showNotice(errorMessage(error));
}

export class HistoryLoader {
  constructor(private readonly s: ChatSession) {}

  /** Fetches a page, retrying quietly while the server says "not now", for as long as `stillWanted`. */
  private fetchPage(roomId: string, query: HistoryRequest, stillWanted: () => boolean): Promise<HistoryPage> {
    return withRetries(
      () => this.s.api.history(roomId, query),
      () => stillWanted() && !this.s.disposed,
    );
  }

  /** The user scrolled to the top of the window: the page before it. */
  async loadOlder(roomId: string): Promise<void> {
    const t = timelineOf(roomId);
    if (!t?.loaded || !t.hasOlder || t.loadingOlder) return;
    const before = t.messages[0]?.seq;
    if (!before) return;
    // The answer fits only the window it was asked for: not after a jump or a trim at that end.
    const unchanged = () => {
      const now = timelineOf(roomId);
      return !this.s.disposed && now?.generation === t.generation && now.messages[0]?.seq === before;
    };
    useMessagesStore.getState().setLoading(roomId, 'older', true);
    try {
      const page = await this.fetchPage(roomId, { before, limit: PAGE_SIZE }, unchanged);
      if (unchanged()) useMessagesStore.getState().addOlder(roomId, page);
      else useMessagesStore.getState().setLoading(roomId, 'older', false);
    } catch (error) {
      useMessagesStore.getState().setLoading(roomId, 'older', false);
      if (unchanged()) reportFailure(error);
    }
  }

  /** The user scrolled to the bottom of a window that is away from the tail: the page after it. */
  async loadNewer(roomId: string): Promise<void> {
    const t = timelineOf(roomId);
    if (!t?.loaded || !t.hasNewer || t.loadingNewer) return;
    const after = newestSeq(t);
    if (!after) return;
    const unchanged = () => {
      const now = timelineOf(roomId);
      return !this.s.disposed && now?.generation === t.generation && !!now.hasNewer && newestSeq(now) === after;
    };
    useMessagesStore.getState().setLoading(roomId, 'newer', true);
    try {
      const page = await this.fetchPage(roomId, { after, limit: PAGE_SIZE }, unchanged);
      if (!unchanged()) {
        useMessagesStore.getState().setLoading(roomId, 'newer', false);
        return;
      }
      useMessagesStore.getState().addNewer(roomId, page);
      await this.fillToTail(roomId);
    } catch (error) {
      useMessagesStore.getState().setLoading(roomId, 'newer', false);
      if (unchanged()) reportFailure(error);
    }
  }

  /** "Jump to first message": the room's first page, in one request. Resolves false when it failed. */
  async jumpToFirst(roomId: string): Promise<boolean> {
    const t = timelineOf(roomId);
    if (!t?.loaded) return false;
    const generation = t.generation;
    const unchanged = () => !this.s.disposed && timelineOf(roomId)?.generation === generation;
    try {
      const page = await this.fetchPage(roomId, { after: 'start', limit: PAGE_SIZE }, unchanged);
      if (!unchanged()) return false;
      useMessagesStore.getState().showPage(roomId, page, { kind: 'first' });
      return true;
    } catch (error) {
      if (unchanged()) reportFailure(error);
      return false;
    }
  }

  /**
   * "Jump to latest": a window away from the tail is replaced by the latest page (the
   * messages that arrived meanwhile included). Resolves 'scroll' when the window already
   * holds the tail and the list only needs to scroll there.
   */
  async jumpToLatest(roomId: string): Promise<'scroll' | 'replaced' | 'failed'> {
    const t = timelineOf(roomId);
    if (!t?.loaded) return 'failed';
    if (!t.hasNewer) return 'scroll';
    const generation = t.generation;
    const unchanged = () => !this.s.disposed && timelineOf(roomId)?.generation === generation;
    try {
      const page = await this.fetchPage(roomId, { limit: PAGE_SIZE }, unchanged);
      if (!unchanged()) return 'failed';
      useMessagesStore.getState().showPage(roomId, page, { kind: 'latest' });
      await this.fillToTail(roomId);
      return 'replaced';
    } catch (error) {
      if (unchanged()) reportFailure(error);
      return 'failed';
    }
  }

  /**
   * Opens the held window at a message: shown from it when it is held, else the page
   * around it (?around=). Falls back to `fallback` (the latest page from entering) when the
   * message is not in this room any more. `knownTail`: the room's newest seq, so what
   * arrives later counts as new.
   */
  async showAround(roomId: string, messageId: string, options: { fallback?: HistoryPage; knownTail?: number } = {}): Promise<void> {
    const t = timelineOf(roomId);
    if (!t) return;
    const generation = t.generation;
    const unchanged = () => !this.s.disposed && timelineOf(roomId)?.generation === generation;
    const store = () => useMessagesStore.getState();
    if (t.loaded && t.messages.some((m) => m.id === messageId)) {
      store().showPage(roomId, { messages: t.messages, hasMore: t.hasOlder, hasOlder: t.hasOlder, hasNewer: t.hasNewer }, { kind: 'message', messageId });
      return;
    }
    try {
      const page = await this.fetchPage(roomId, { around: messageId, limit: PAGE_SIZE }, unchanged);
      if (!unchanged()) return;
      const found = page.messages.some((m) => m.id === messageId);
      store().showPage(roomId, page, found ? { kind: 'message', messageId } : { kind: 'latest' }, options.knownTail);
      if (!page.hasNewer) await this.fillToTail(roomId);
    } catch (error) {
      if (!unchanged()) return;
      if (options.fallback) store().showPage(roomId, options.fallback, { kind: 'latest' });
      const gone = error instanceof ApiRequestError && (error.code === 'not_found' || error.code === 'validation_failed');
      if (gone) useViewStore.getState().showNotice('That message is no longer in this room.');
      else reportFailure(error);
    }
  }

  /**
   * Opens a room at its first unread message (`firstUnread`, a seq), under the "New
   * messages" line: from the latest page when it holds it, else the page starting a few
   * messages before it (?after=). Falls back to the latest page when that fails.
   */
  async showUnread(roomId: string, firstUnread: number, latest: HistoryPage, knownTail: number): Promise<void> {
    const t = timelineOf(roomId);
    if (!t) return;
    const store = () => useMessagesStore.getState();
    const held = latest.messages.find((m) => m.seq >= firstUnread);
    const oldest = latest.messages[0]?.seq;
    if (held && (!latest.hasOlder || (oldest !== undefined && oldest < firstUnread))) {
      store().showPage(roomId, latest, { kind: 'unread', messageId: held.id });
      return;
    }
    const generation = t.generation;
    const unchanged = () => !this.s.disposed && timelineOf(roomId)?.generation === generation;
    const after = firstUnread - UNREAD_CONTEXT - 1;
    try {
      const page = await this.fetchPage(roomId, { after: after >= 1 ? after : 'start', limit: PAGE_SIZE }, unchanged);
      if (!unchanged()) return;
      const first = page.messages.find((m) => m.seq >= firstUnread);
      store().showPage(roomId, page, first ? { kind: 'unread', messageId: first.id } : { kind: 'latest' }, knownTail);
      if (!page.hasNewer) await this.fillToTail(roomId);
    } catch (error) {
      if (!unchanged()) return;
      store().showPage(roomId, latest, { kind: 'latest' });
      reportFailure(error);
    }
  }

  /**
   * Back in a room whose window was at the tail (after a reconnect, or from the Manage
   * tab), given the latest page the enter answered with and the newest seq held when
   * entering: merge the page when it reaches back over the gap, start again from it when
   * the gap is wider than a window, and otherwise fetch what came after. The catch-up
   * starts a little before that message (catchUpCursor): a message stored at the same
   * moment can be pushed late.
   */
  async resumeAtTail(roomId: string, latest: HistoryPage, newest: number, stillWanted: () => boolean): Promise<void> {
    const t = timelineOf(roomId);
    if (!t?.loaded) return;
    const from = catchUpCursor(newest);
    const firstOfLatest = latest.messages[0]?.seq;
    const covers = !latest.hasOlder || firstOfLatest === undefined || firstOfLatest <= (from === 'start' ? 1 : from + 1);
    if (covers) {
      useMessagesStore.getState().merge(roomId, latest.messages);
    } else if (firstOfLatest - newest > WINDOW_MAX) {
      useMessagesStore.getState().showPage(roomId, latest, { kind: 'latest' });
    } else {
      await this.catchUp(roomId, from, stillWanted);
    }
  }

  /** The app woke or the network came back while connected: fetch what may have been missed. */
  async catchUpRoom(roomId: string, stillWanted: () => boolean): Promise<void> {
    const t = timelineOf(roomId);
    if (!t?.loaded) return;
    if (t.hasNewer) {
      // Away from the tail: only the count of new messages (and the held pushes) need the latest page.
      try {
        const latest = await this.fetchPage(roomId, { limit: PAGE_SIZE }, stillWanted);
        if (stillWanted()) useMessagesStore.getState().merge(roomId, latest.messages);
      } catch (error) {
        if (!isSessionError(error)) console.warn('catch-up failed', error);
      }
      return;
    }
    await this.catchUp(roomId, catchUpCursor(newestSeq(t)), stillWanted);
  }

  /** Every message after `after`, page by page, merged as live (the window trims its far end). */
  private async catchUp(roomId: string, after: number | 'start', stillWanted: () => boolean): Promise<void> {
    let cursor = after;
    try {
      for (;;) {
        const page = await this.fetchPage(roomId, { after: cursor, limit: CATCH_UP_PAGE }, stillWanted);
        if (!stillWanted() || this.s.disposed) return;
        useMessagesStore.getState().merge(roomId, page.messages);
        const last = page.messages[page.messages.length - 1];
        if (!page.hasNewer || !last) return;
        cursor = last.seq;
      }
    } catch (error) {
      // A dropped connection ends the loop; the next reconnect catches up again.
      if (!isSessionError(error)) console.warn('catch-up failed', error);
    }
  }

  /** A window that just reached the tail but misses messages the room is known to have (pushes lost): fetch them. */
  private async fillToTail(roomId: string): Promise<void> {
    const t = timelineOf(roomId);
    if (!t?.loaded || t.hasNewer || newestSeq(t) >= t.tailSeq) return;
    const generation = t.generation;
    await this.catchUp(roomId, newestSeq(t), () => timelineOf(roomId)?.generation === generation);
  }
}
