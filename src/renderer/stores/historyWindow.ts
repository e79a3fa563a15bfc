// Runs in: the renderer. A room's history window: the stretch of its messages that the
// list holds, at most WINDOW_MAX of them, anywhere between the room's first message and
// the live tail. Pure functions from a window to the next window; stores/messages.ts
// keeps one per open room. Messages are ordered and merged by `seq` (their position in
// the room), each id held once.
import type { HistoryPage, Message } from '../../shared/contract';

/** Messages held at most per room; pages far from the view are dropped beyond this. */
export const WINDOW_MAX = 1000;
/**
 * A window that outgrows WINDOW_MAX is cut back to this, so a trim (which makes the list
 * re-anchor when it happens above the view) comes once every few pages, not with each one.
 */
export const TRIM_TO = 800;
/** Messages always kept on either side of what is on screen when the window is trimmed. */
export const VIEW_MARGIN = 150;
/** Pushes newer than a window that is away from the tail, kept to fill the gap when it returns. */
export const LIVE_MAX = 200;

/** Where the list shows a freshly replaced window. */
/** `unread`: opened at the first unread message, under the "New messages" line (not highlighted). */
export type WindowAnchor = { kind: 'latest' } | { kind: 'first' } | { kind: 'message'; messageId: string } | { kind: 'unread'; messageId: string };

export interface Timeline {
  /** The window: consecutive messages of the room, oldest first, each once. */
  messages: Message[];
  /** The first page has been shown (false while entering: only live pushes are held). */
  loaded: boolean;
  /** The room has messages before the window. */
  hasOlder: boolean;
  /** The room has messages after the window: it is away from the live tail. */
  hasNewer: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  /**
   * What last made the window longer at its end: a live message (the list follows it when
   * at the bottom), our own send (always followed), or a page (never followed).
   */
  lastGrowth: 'live' | 'own' | 'page';
  /** Bumped whenever the window is replaced (a jump): the list starts afresh at `anchor`. */
  generation: number;
  anchor: WindowAnchor;
  /** The newest seq known in the room, from pages that reach the tail and from pushes. */
  tailSeq: number;
  /** The tail when the user last saw it: tailSeq minus this is "N new messages". */
  seenTailSeq: number;
  /** While away from the tail: pushes newer than the window (at most LIVE_MAX, oldest first). */
  live: Message[];
}

/** The seqs on screen, as the list last reported them. */
export interface ViewRange {
  fromSeq: number;
  toSeq: number;
}

export const EMPTY_TIMELINE: Timeline = {
  messages: [],
  loaded: false,
  hasOlder: true,
  hasNewer: false,
  loadingOlder: false,
  loadingNewer: false,
  lastGrowth: 'page',
  generation: 0,
  anchor: { kind: 'latest' },
  tailSeq: 0,
  seenTailSeq: 0,
  live: [],
};

const bySeq = (a: Message, b: Message) => a.seq - b.seq;
const newestSeq = (messages: Message[]) => messages[messages.length - 1]?.seq ?? 0;
const maxSeq = (messages: Message[]) => messages.reduce((max, m) => (m.seq > max ? m.seq : max), 0);

/**
 * Merges `incoming` into `existing` (both oldest first): by id, without duplicates, in
 * seq order. `before` counts the new messages placed ahead of the previously oldest one.
 */
export function mergeMessages(existing: Message[], incoming: Message[]): { messages: Message[]; added: number; before: number } {
  if (incoming.length === 0) return { messages: existing, added: 0, before: 0 };
  const known = new Set(existing.map((m) => m.id));
  const fresh = new Map<string, Message>();
  for (const m of incoming) if (!known.has(m.id)) fresh.set(m.id, m);
  if (fresh.size === 0) return { messages: existing, added: 0, before: 0 };
  const added = [...fresh.values()].sort(bySeq);
  const oldest = existing[0]?.seq;
  const newest = existing[existing.length - 1]?.seq;
  const before = oldest === undefined ? 0 : added.filter((m) => m.seq < oldest).length;
  // The common cases, appending live messages and adding a page at either end, stay linear.
  if (newest === undefined || added[0]!.seq > newest) return { messages: [...existing, ...added], added: added.length, before };
  if (added[added.length - 1]!.seq < oldest!) return { messages: [...added, ...existing], added: added.length, before };
  return { messages: [...existing, ...added].sort(bySeq), added: added.length, before };
}

/** Adds pushes to the buffer kept while away from the tail: newest LIVE_MAX, each once. */
function bufferLive(live: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return live;
  const { messages } = mergeMessages(live, incoming);
  return messages.length > LIVE_MAX ? messages.slice(messages.length - LIVE_MAX) : messages;
}

/**
 * Replaces the window with a page: entering (the latest page), "Jump to first message"
 * (?after=start), "Jump to latest" (the latest page) or opening at a message (?around=).
 * When the page reaches the tail, everything held that is newer than it (pushes that
 * arrived while it was on its way) follows it. `knownTail`: the newest seq known from
 * elsewhere (the enter answer), so messages that arrive later are counted as new.
 */
export function showPage(t: Timeline, page: HistoryPage, anchor: WindowAnchor, knownTail = 0): Timeline {
  const atTail = !page.hasNewer || page.messages.length === 0;
  let messages = page.messages;
  let live = t.live;
  if (atTail) {
    const pageNewest = newestSeq(messages);
    messages = mergeMessages(
      messages,
      [...t.messages, ...t.live].filter((m) => m.seq > pageNewest),
    ).messages;
    live = [];
  } else {
    const pageNewest = newestSeq(messages);
    live = live.filter((m) => m.seq > pageNewest);
  }
  const tailSeq = Math.max(t.tailSeq, knownTail, maxSeq(live), atTail ? newestSeq(messages) : 0);
  return {
    messages,
    loaded: true,
    hasOlder: messages.length > 0 && page.hasOlder,
    hasNewer: !atTail,
    loadingOlder: false,
    loadingNewer: false,
    lastGrowth: 'page',
    generation: t.generation + 1,
    anchor,
    tailSeq,
    // At the tail the user sees it; elsewhere what counts as new starts from the last time they did.
    seenTailSeq: atTail || t.seenTailSeq === 0 ? tailSeq : t.seenTailSeq,
    live,
  };
}

/** An older page (?before=): added at the front; the far end is trimmed if the window is too long. */
export function addOlder(t: Timeline, page: HistoryPage, view: ViewRange | null): Timeline {
  if (!t.loaded) return t;
  const { messages } = mergeMessages(t.messages, page.messages);
  const hasOlder = page.messages.length > 0 && page.hasOlder;
  return fit({ ...t, messages, hasOlder, loadingOlder: false }, 'front', view);
}

/**
 * A newer page (?after=): added at the end. A page that reaches the tail brings the
 * window back to it, with the pushes held meanwhile.
 */
export function addNewer(t: Timeline, page: HistoryPage, view: ViewRange | null): Timeline {
  if (!t.loaded) return t;
  let { messages } = mergeMessages(t.messages, page.messages);
  const atTail = !page.hasNewer || page.messages.length === 0;
  let live = t.live;
  let tailSeq = t.tailSeq;
  if (atTail) {
    const newest = newestSeq(messages);
    messages = mergeMessages(
      messages,
      live.filter((m) => m.seq > newest),
    ).messages;
    live = [];
    tailSeq = Math.max(tailSeq, newestSeq(messages));
  }
  return fit({ ...t, messages, hasNewer: !atTail, loadingNewer: false, live, tailSeq, lastGrowth: 'page' }, 'end', view);
}

/**
 * Messages that arrived live (pushes, our own confirmed sends, catch-up pages). At the
 * tail they join the window; away from it they are counted and kept aside; older than
 * the window, they are already in the history the window will load.
 */
export function addLive(t: Timeline, incoming: Message[], view: ViewRange | null): Timeline {
  if (incoming.length === 0) return t;
  const tailSeq = Math.max(t.tailSeq, maxSeq(incoming));
  if (!t.loaded) {
    // Entering: held until the first page arrives (showPage keeps those newer than it).
    const { messages } = mergeMessages(t.messages, incoming);
    return messages === t.messages && tailSeq === t.tailSeq ? t : { ...t, messages, tailSeq };
  }
  const oldest = t.messages[0]?.seq ?? 0;
  const newest = newestSeq(t.messages);
  const inWindow = incoming.filter((m) => (!t.hasOlder || m.seq >= oldest) && (!t.hasNewer || m.seq <= newest));
  const beyond = t.hasNewer ? incoming.filter((m) => m.seq > newest) : [];
  const { messages, added } = mergeMessages(t.messages, inWindow);
  const live = bufferLive(t.live, beyond);
  if (added === 0 && live === t.live && tailSeq === t.tailSeq) return t;
  const next: Timeline = { ...t, messages, live, tailSeq, lastGrowth: added > 0 ? 'live' : t.lastGrowth };
  return t.hasNewer ? next : fit(next, 'end', view);
}

/** The user sent a message: the list shows it, wherever it was scrolled. */
export function sentOwn(t: Timeline): Timeline {
  return t.lastGrowth === 'own' ? t : { ...t, lastGrowth: 'own' };
}

/** The user is looking at the live tail: nothing held counts as new any more. */
export function sawTail(t: Timeline): Timeline {
  return t.hasNewer || t.seenTailSeq === t.tailSeq ? t : { ...t, seenTailSeq: t.tailSeq };
}

/** "N new messages": what arrived since the user last saw the tail. */
export function newMessageCount(t: Timeline): number {
  return Math.max(0, t.tailSeq - t.seenTailSeq);
}

/**
 * Keeps the window within WINDOW_MAX: past it, cuts it back to TRIM_TO by dropping
 * messages at the end away from where it grew, never within VIEW_MARGIN of what is on screen. Dropping the newest messages
 * takes the window away from the tail; dropping the oldest means older ones exist again.
 * Without a view (no list shown), the view is taken to be where the window grew.
 */
export function fit(t: Timeline, grewAt: 'front' | 'end', view: ViewRange | null): Timeline {
  const length = t.messages.length;
  if (length <= WINDOW_MAX) return t;
  const excess = length - TRIM_TO;
  let first = grewAt === 'front' ? 0 : length - 1;
  let last = first;
  if (view) {
    const from = t.messages.findIndex((m) => m.seq >= view.fromSeq);
    const to = t.messages.findLastIndex((m) => m.seq <= view.toSeq);
    if (from !== -1 && to !== -1 && from <= to) [first, last] = [from, to];
  }
  const mayDropFront = Math.max(0, first - VIEW_MARGIN);
  const mayDropEnd = Math.max(0, length - 1 - (last + VIEW_MARGIN));
  let dropFront: number;
  let dropEnd: number;
  if (grewAt === 'end') {
    dropFront = Math.min(excess, mayDropFront);
    dropEnd = Math.min(excess - dropFront, mayDropEnd);
  } else {
    dropEnd = Math.min(excess, mayDropEnd);
    dropFront = Math.min(excess - dropEnd, mayDropFront);
  }
  if (dropFront === 0 && dropEnd === 0) return t;
  return {
    ...t,
    messages: t.messages.slice(dropFront, length - dropEnd),
    hasOlder: t.hasOlder || dropFront > 0,
    hasNewer: t.hasNewer || dropEnd > 0,
  };
}
