// Runs in: the renderer. Each open room's history window (stores/historyWindow.ts: a
// bounded stretch of its messages, merged by seq) and the outbox of messages being sent
// or failed, keyed by their clientId.
import { create } from 'zustand';
import type { HistoryPage, Message } from '../../shared/contract';
import { EMPTY_TIMELINE, addLive, addNewer, addOlder, sawTail, sentOwn, showPage, type Timeline, type ViewRange, type WindowAnchor } from './historyWindow';

export type { Timeline } from './historyWindow';

export type PendingStatus = 'sending' | 'failed';

export interface PendingMessage {
  clientId: string;
  roomId: string;
  authorId: string;
  text: string;
  /** Sending covers waiting to try again after a "not now" refusal; failed needs the user's Retry. */
  status: PendingStatus;
  /** Why the last attempt failed (the server's message), when failed. */
  error: string | null;
  /** Local time of the first attempt, ISO-8601. */
  createdAt: string;
}

const EMPTY_OUTBOX: PendingMessage[] = [];

/** Drops outbox entries that the given confirmed messages settle (same author, same clientId). */
function settleOutbox(outbox: Record<string, PendingMessage[]>, confirmed: Message[]): Record<string, PendingMessage[]> {
  let next = outbox;
  for (const message of confirmed) {
    const list = next[message.roomId];
    if (!list?.some((p) => p.clientId === message.clientId && p.authorId === message.authorId)) continue;
    const rest = list.filter((p) => !(p.clientId === message.clientId && p.authorId === message.authorId));
    next = { ...next };
    if (rest.length) next[message.roomId] = rest;
    else delete next[message.roomId];
  }
  return next;
}

function updatePending(outbox: Record<string, PendingMessage[]>, clientId: string, change: (p: PendingMessage) => PendingMessage) {
  for (const [roomId, list] of Object.entries(outbox)) {
    const index = list.findIndex((p) => p.clientId === clientId);
    if (index === -1) continue;
    const copy = [...list];
    copy[index] = change(list[index]!);
    return { ...outbox, [roomId]: copy };
  }
  return outbox;
}

interface MessagesState {
  timelines: Record<string, Timeline>;
  /** What each room's list shows on screen (not shown: null), so trimming spares it. */
  views: Record<string, ViewRange>;
  outbox: Record<string, PendingMessage[]>;
  /** Starts holding a room's messages (live pushes are kept until the first page arrives). */
  beginTimeline(roomId: string): void;
  /** Replaces the window with a page shown from `anchor` (see historyWindow.showPage). */
  showPage(roomId: string, page: HistoryPage, anchor: WindowAnchor, knownTail?: number): void;
  /** An older page (`?before=`), added at the front. */
  addOlder(roomId: string, page: HistoryPage): void;
  /** A newer page (`?after=`), added at the end. */
  addNewer(roomId: string, page: HistoryPage): void;
  /** Messages that arrived live (a push, a catch-up page). Ignored for rooms not held. */
  merge(roomId: string, messages: Message[]): void;
  setLoading(roomId: string, edge: 'older' | 'newer', loading: boolean): void;
  setViewRange(roomId: string, view: ViewRange | null): void;
  /** The list shows the live tail: what arrived so far is no longer "new". */
  sawTail(roomId: string): void;
  dropTimeline(roomId: string): void;
  addPending(pending: PendingMessage): void;
  markSending(clientId: string): void;
  markFailed(clientId: string, error: string): void;
  /** The server stored a message of ours: it leaves the outbox and joins the history. */
  confirmSent(message: Message): void;
  dropOutbox(roomId: string): void;
  /** Pending messages kept from before a restart: placed ahead of what was typed since, each clientId once. */
  restorePending(pending: PendingMessage[]): void;
  /** The user cancelled a message that had not been sent. */
  dropPending(clientId: string): void;
  reset(): void;
}

type State = Pick<MessagesState, 'timelines' | 'views' | 'outbox'>;

/** Applies `change` to a held room's window; rooms not held and unchanged windows leave the state as it is. */
function updateTimeline(s: State, roomId: string, change: (t: Timeline, view: ViewRange | null) => Timeline): Partial<State> | State {
  const timeline = s.timelines[roomId];
  if (!timeline) return s;
  const next = change(timeline, s.views[roomId] ?? null);
  return next === timeline ? s : { timelines: { ...s.timelines, [roomId]: next } };
}

export const useMessagesStore = create<MessagesState>()((set) => ({
  timelines: {},
  views: {},
  outbox: {},

  beginTimeline: (roomId) => set((s) => (s.timelines[roomId] ? s : { timelines: { ...s.timelines, [roomId]: EMPTY_TIMELINE } })),

  showPage: (roomId, page, anchor, knownTail) =>
    set((s) => {
      const next = updateTimeline(s, roomId, (t) => showPage(t, page, anchor, knownTail));
      return next === s ? s : { ...next, outbox: settleOutbox(s.outbox, page.messages) };
    }),

  addOlder: (roomId, page) => set((s) => updateTimeline(s, roomId, (t, view) => addOlder(t, page, view))),

  addNewer: (roomId, page) =>
    set((s) => {
      const next = updateTimeline(s, roomId, (t, view) => addNewer(t, page, view));
      return next === s ? s : { ...next, outbox: settleOutbox(s.outbox, page.messages) };
    }),

  merge: (roomId, incoming) =>
    set((s) => {
      const outbox = settleOutbox(s.outbox, incoming);
      const next = updateTimeline(s, roomId, (t, view) => addLive(t, incoming, view));
      if (next === s) return outbox === s.outbox ? s : { outbox };
      return { ...next, outbox };
    }),

  setLoading: (roomId, edge, loading) =>
    set((s) =>
      updateTimeline(s, roomId, (t) => {
        const key = edge === 'older' ? 'loadingOlder' : 'loadingNewer';
        return t[key] === loading ? t : { ...t, [key]: loading };
      }),
    ),

  setViewRange: (roomId, view) =>
    set((s) => {
      const current = s.views[roomId];
      if (view && current && current.fromSeq === view.fromSeq && current.toSeq === view.toSeq) return s;
      if (!view && !current) return s;
      const views = { ...s.views };
      if (view) views[roomId] = view;
      else delete views[roomId];
      return { views };
    }),

  sawTail: (roomId) => set((s) => updateTimeline(s, roomId, sawTail)),

  dropTimeline: (roomId) =>
    set((s) => {
      if (!s.timelines[roomId]) return s;
      const timelines = { ...s.timelines };
      const views = { ...s.views };
      delete timelines[roomId];
      delete views[roomId];
      return { timelines, views };
    }),

  addPending: (pending) =>
    set((s) => ({
      ...updateTimeline(s, pending.roomId, sentOwn),
      outbox: { ...s.outbox, [pending.roomId]: [...(s.outbox[pending.roomId] ?? []), pending] },
    })),

  markSending: (clientId) => set((s) => ({ outbox: updatePending(s.outbox, clientId, (p) => ({ ...p, status: 'sending', error: null })) })),

  markFailed: (clientId, error) => set((s) => ({ outbox: updatePending(s.outbox, clientId, (p) => ({ ...p, status: 'failed', error })) })),

  confirmSent: (message) =>
    set((s) => ({
      ...updateTimeline(s, message.roomId, (t, view) => addLive(t, [message], view)),
      outbox: settleOutbox(s.outbox, [message]),
    })),

  dropOutbox: (roomId) =>
    set((s) => {
      if (!s.outbox[roomId]) return s;
      const outbox = { ...s.outbox };
      delete outbox[roomId];
      return { outbox };
    }),

  restorePending: (restored) =>
    set((s) => {
      const outbox = { ...s.outbox };
      const known = new Set(allPending(s).map((p) => p.clientId));
      for (const pending of restored) {
        if (known.has(pending.clientId)) continue;
        known.add(pending.clientId);
        const list = outbox[pending.roomId] ?? [];
        const firstNew = list.findIndex((p) => !restored.includes(p));
        outbox[pending.roomId] = firstNew === -1 ? [...list, pending] : [...list.slice(0, firstNew), pending, ...list.slice(firstNew)];
      }
      return { outbox };
    }),

  dropPending: (clientId) =>
    set((s) => {
      const pending = findPending(s, clientId);
      if (!pending) return s;
      const rest = (s.outbox[pending.roomId] ?? []).filter((p) => p.clientId !== clientId);
      const outbox = { ...s.outbox };
      if (rest.length) outbox[pending.roomId] = rest;
      else delete outbox[pending.roomId];
      return { outbox };
    }),

  reset: () => set({ timelines: {}, views: {}, outbox: {} }),
}));

export const selectTimeline = (roomId: string) => (s: MessagesState) => s.timelines[roomId] ?? EMPTY_TIMELINE;
export const selectOutbox = (roomId: string) => (s: MessagesState) => s.outbox[roomId] ?? EMPTY_OUTBOX;

/** Everything in the outbox: sent again after a reconnect. */
export function allPending(s: Pick<MessagesState, 'outbox'>): PendingMessage[] {
  return Object.values(s.outbox).flat();
}
export function findPending(s: Pick<MessagesState, 'outbox'>, clientId: string): PendingMessage | undefined {
  return allPending(s).find((p) => p.clientId === clientId);
}
