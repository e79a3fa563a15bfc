// Runs in: the renderer. Turns a room's messages, presence lines and outbox into the
// rows of the message list: day separators, grouping of consecutive messages by the same
// author, and presence lines placed after the message that was newest when they happened.
// The rows depend only on the window held (stores/historyWindow.ts), never on scrolling.
import type { Message } from '../../../shared/contract';
import { dayKey } from '../../lib/format';
import type { PendingMessage } from '../../stores/messages';
import type { PresenceLine } from '../../stores/presence';

/**
 * A message by the same author within this time of the one before it shares its header.
 * Measured from the message just before (not from the group's first), so a row's look
 * depends only on its neighbour, and loading older history never changes it.
 */
export const GROUP_MS = 5 * 60 * 1000;

export type Row =
  | { kind: 'start'; key: 'start' }
  | { kind: 'message'; key: string; message: Message; day: string | null; compact: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage; day: string | null; compact: boolean }
  | { kind: 'presence'; key: string; line: PresenceLine }
  | { kind: 'unread'; key: 'unread-line' };

interface Previous {
  authorId: string;
  at: number;
  day: string;
}

export interface RowsWindow {
  /** The room's first message is held: the list begins with "This is the start of #room". */
  atStart: boolean;
  /** The window reaches the live tail: presence lines and the outbox follow it. */
  atEnd: boolean;
  /** The "New messages" line goes above the first message from this seq (null: none). */
  unreadFromSeq?: number | null;
}

/**
 * `atStart`: the first message of the room is held, so the list begins with the "This is
 * the start of #room" row (a row, not a header, so the list can scroll to it by index).
 * Otherwise the oldest message held is not shown (see below): rows only ever appear
 * above the shown ones, never change. Presence lines sit after the message they were
 * anchored to (by seq); those outside the window are not shown, nor is the outbox while
 * the window is away from the tail (it belongs after the newest message).
 */
export function buildRows(messages: Message[], lines: PresenceLine[], outbox: PendingMessage[], edges: RowsWindow = { atStart: false, atEnd: true }): Row[] {
  const { atStart, atEnd } = edges;
  let unreadPlaced = edges.unreadFromSeq === null || edges.unreadFromSeq === undefined;
  const rows: Row[] = atStart ? [{ kind: 'start', key: 'start' }] : [];
  const oldestSeq = messages[0]?.seq ?? 0;
  const newestSeq = messages[messages.length - 1]?.seq ?? 0;
  // Lines in anchor order; null (the history had not arrived) after everything.
  const queue = lines
    .filter((l) => (l.afterSeq === null ? atEnd : (atStart || l.afterSeq >= oldestSeq) && (atEnd || l.afterSeq <= newestSeq)))
    .sort((a, b) => (a.afterSeq ?? Infinity) - (b.afterSeq ?? Infinity));
  let nextLine = 0;
  let previous = null as Previous | null;

  /** Places the lines anchored before `seq` (exclusive; null: every line left). */
  const pushLinesBefore = (seq: number | null) => {
    let placed = false;
    while (nextLine < queue.length && (seq === null || (queue[nextLine]!.afterSeq ?? Infinity) < seq)) {
      const line = queue[nextLine++]!;
      rows.push({ kind: 'presence', key: line.id, line });
      placed = true;
    }
    // A presence line ends a group of messages, but not the day.
    if (placed && previous) previous = { ...previous, authorId: '' };
  };

  const place = (authorId: string, createdAt: string) => {
    const day = dayKey(createdAt);
    const at = Date.parse(createdAt);
    const newDay = previous?.day !== day;
    const compact = !!previous && !newDay && previous.authorId === authorId && at - previous.at < GROUP_MS;
    previous = { authorId, at, day };
    return { day: newDay ? createdAt : null, compact };
  };

  messages.forEach((message, index) => {
    pushLinesBefore(message.seq);
    const placed = place(message.authorId, message.createdAt);
    // Until the room's first message is held, the oldest message held only gives the
    // next one its context (same day? same author?). Shown, it would lose its day
    // separator or header once the message before it arrives, and the row shrinking
    // under the reader's eyes would shift everything below it.
    if (index === 0 && !atStart && messages.length > 1) return;
    if (!unreadPlaced && message.seq >= edges.unreadFromSeq!) {
      unreadPlaced = true;
      // Only where it belongs: after a message read before, or above the room's very first message.
      const before = messages[index - 1];
      if (before ? before.seq < edges.unreadFromSeq! : atStart) rows.push({ kind: 'unread', key: 'unread-line' });
    }
    rows.push({ kind: 'message', key: message.id, message, ...placed });
  });
  // Lines after the newest message held (and, at the tail, those not anchored yet).
  pushLinesBefore(null);
  if (!atEnd) return rows;
  for (const pending of outbox) {
    rows.push({ kind: 'pending', key: `pending-${pending.clientId}`, pending, ...place(pending.authorId, pending.createdAt) });
  }
  return rows;
}
