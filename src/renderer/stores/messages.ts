// Runs in: the renderer. Message history per room (merged by id, oldest first) and the
// outbox of messages being sent or failed, keyed by their clientId.
import { create } from 'zustand';
import type { HistoryPage, Message } from '../../shared/contract';

export interface Timeline {
  /** Confirmed messages, oldest first, each id once. */
  messages: Message[];
  /** The first page has been loaded (false while entering, when only live pushes are held). */
  loaded: boolean;
  /** More messages exist before the oldest one held. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /**
   * How many messages were placed before the oldest one this timeline started with. The
   * virtualized list lowers its firstItemIndex by this, so prepending keeps the view still.
   */
  prepended: number;
}

export type PendingStatus = 'sending' | 'failed';

export interface PendingMessage {
  clientId: string;
  roomId: string;
  authorId: string;
  text: string;
  status: PendingStatus;
  /** Why the last attempt failed (the server's message), when failed. */
  error: string | null;
  /** Local time of the first attempt, ISO-8601. */
  createdAt: string;
}

const EMPTY_TIMELINE: Timeline = { messages: [], loaded: false, hasOlder: true, loadingOlder: false, prepended: 0 };
const EMPTY_OUTBOX: PendingMessage[] = [];

/**
 * Merges `incoming` into `existing` (both oldest first): by id, without duplicates, in id
 * order (ids are ObjectIds: fixed-width hex, so string order is creation order).
 * `before` counts the new messages placed ahead of the previously oldest one.
 */
export function mergeMessages(existing: Message[], incoming: Message[]): { messages: Message[]; added: number; before: number } {
  if (incoming.length === 0) return { messages: existing, added: 0, before: 0 };
  const known = new Set(existing.map((m) => m.id));
  const fresh = new Map<string, Message>();
  for (const m of incoming) if (!known.has(m.id)) fresh.set(m.id, m);
  if (fresh.size === 0) return { messages: existing, added: 0, before: 0 };
  const added = [...fresh.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const oldest = existing[0]?.id;
  const newest = existing[existing.length - 1]?.id;
  const before = oldest === undefined ? 0 : added.filter((m) => m.id < oldest).length;
  // The common cases, appending live messages and prepending an older page, stay linear.
  if (newest === undefined || added[0]!.id > newest) return { messages: [...existing, ...added], added: added.length, before };
  if (added[added.length - 1]!.id < oldest!) return { messages: [...added, ...existing], added: added.length, before };
  const messages = [...existing, ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { messages, added: added.length, before };
}

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
  outbox: Record<string, PendingMessage[]>;
  /** Starts holding a room's messages (live pushes are kept until the first page arrives). */
  beginTimeline(roomId: string): void;
  /** The first page after entering: replaces what was held, keeping live pushes newer than it. */
  loadLatest(roomId: string, page: HistoryPage): void;
  /** An older page (`?before=`): prepended; its hasMore says whether more exist before it. */
  prependPage(roomId: string, page: HistoryPage): void;
  /** Newer messages (a live push, a catch-up page): merged by id. Ignored for rooms not held. */
  merge(roomId: string, messages: Message[]): void;
  setLoadingOlder(roomId: string, loading: boolean): void;
  dropTimeline(roomId: string): void;
  addPending(pending: PendingMessage): void;
  markSending(clientId: string): void;
  markFailed(clientId: string, error: string): void;
  /** The server stored a message of ours: it leaves the outbox and joins the history. */
  confirmSent(message: Message): void;
  dropOutbox(roomId: string): void;
  reset(): void;
}

export const useMessagesStore = create<MessagesState>()((set) => ({
  timelines: {},
  outbox: {},

  beginTimeline: (roomId) =>
    set((s) => (s.timelines[roomId] ? s : { timelines: { ...s.timelines, [roomId]: EMPTY_TIMELINE } })),

  loadLatest: (roomId, page) =>
    set((s) => {
      const held = s.timelines[roomId]?.messages ?? [];
      const pageNewest = page.messages[page.messages.length - 1]?.id ?? '';
      const live = held.filter((m) => m.id > pageNewest);
      const { messages } = mergeMessages(page.messages, live);
      return {
        timelines: { ...s.timelines, [roomId]: { messages, loaded: true, hasOlder: page.hasMore, loadingOlder: false, prepended: 0 } },
        outbox: settleOutbox(s.outbox, messages),
      };
    }),

  prependPage: (roomId, page) =>
    set((s) => {
      const timeline = s.timelines[roomId];
      if (!timeline) return s;
      const { messages, before } = mergeMessages(timeline.messages, page.messages);
      return {
        timelines: {
          ...s.timelines,
          [roomId]: { ...timeline, messages, hasOlder: page.hasMore, loadingOlder: false, prepended: timeline.prepended + before },
        },
      };
    }),

  merge: (roomId, incoming) =>
    set((s) => {
      const outbox = settleOutbox(s.outbox, incoming);
      const timeline = s.timelines[roomId];
      if (!timeline) return outbox === s.outbox ? s : { outbox };
      const { messages, added, before } = mergeMessages(timeline.messages, incoming);
      if (added === 0) return outbox === s.outbox ? s : { outbox };
      return {
        timelines: { ...s.timelines, [roomId]: { ...timeline, messages, prepended: timeline.prepended + before } },
        outbox,
      };
    }),

  setLoadingOlder: (roomId, loadingOlder) =>
    set((s) => {
      const timeline = s.timelines[roomId];
      if (!timeline || timeline.loadingOlder === loadingOlder) return s;
      return { timelines: { ...s.timelines, [roomId]: { ...timeline, loadingOlder } } };
    }),

  dropTimeline: (roomId) =>
    set((s) => {
      if (!s.timelines[roomId]) return s;
      const timelines = { ...s.timelines };
      delete timelines[roomId];
      return { timelines };
    }),

  addPending: (pending) =>
    set((s) => ({ outbox: { ...s.outbox, [pending.roomId]: [...(s.outbox[pending.roomId] ?? []), pending] } })),

  markSending: (clientId) =>
    set((s) => ({ outbox: updatePending(s.outbox, clientId, (p) => ({ ...p, status: 'sending', error: null })) })),

  markFailed: (clientId, error) =>
    set((s) => ({ outbox: updatePending(s.outbox, clientId, (p) => ({ ...p, status: 'failed', error })) })),

  confirmSent: (message) =>
    set((s) => {
      const outbox = settleOutbox(s.outbox, [message]);
      const timeline = s.timelines[message.roomId];
      if (!timeline) return { outbox };
      const { messages, before } = mergeMessages(timeline.messages, [message]);
      return {
        outbox,
        timelines: { ...s.timelines, [message.roomId]: { ...timeline, messages, prepended: timeline.prepended + before } },
      };
    }),

  dropOutbox: (roomId) =>
    set((s) => {
      if (!s.outbox[roomId]) return s;
      const outbox = { ...s.outbox };
      delete outbox[roomId];
      return { outbox };
    }),

  reset: () => set({ timelines: {}, outbox: {} }),
}));

export const selectTimeline = (roomId: string) => (s: MessagesState) => s.timelines[roomId] ?? EMPTY_TIMELINE;
export const selectOutbox = (roomId: string) => (s: MessagesState) => s.outbox[roomId] ?? EMPTY_OUTBOX;
export const selectNewestId = (roomId: string) => (s: MessagesState) => s.timelines[roomId]?.messages.at(-1)?.id ?? null;
export const selectOldestId = (roomId: string) => (s: MessagesState) => s.timelines[roomId]?.messages[0]?.id ?? null;

/** Everything in the outbox: sent again after a reconnect. */
export function allPending(s: Pick<MessagesState, 'outbox'>): PendingMessage[] {
  return Object.values(s.outbox).flat();
}
export function findPending(s: Pick<MessagesState, 'outbox'>, clientId: string): PendingMessage | undefined {
  return allPending(s).find((p) => p.clientId === clientId);
}
