// Runs in: the renderer. Turns a room's messages, presence lines and outbox into the
// rows of the message list: day separators, grouping of consecutive messages by the same
// author, and presence lines placed after the message that was newest when they happened.
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
  | { kind: 'presence'; key: string; line: PresenceLine };

interface Previous {
  authorId: string;
  at: number;
  day: string;
}

/**
 * `atStart`: the first message of the room is held, so the list begins with the "This is
 * the start of #room" row (a row, not a header, so the list can scroll to it by index).
 * Otherwise the oldest message held is not shown (see below): rows only ever appear
 * above the shown ones, never change.
 */
export function buildRows(messages: Message[], lines: PresenceLine[], outbox: PendingMessage[], atStart = false): Row[] {
  const rows: Row[] = atStart ? [{ kind: 'start', key: 'start' }] : [];
  const byAnchor = new Map<string, PresenceLine[]>();
  for (const line of lines) {
    const key = line.afterId ?? '\u0000';
    byAnchor.set(key, [...(byAnchor.get(key) ?? []), line]);
  }
  let previous = null as Previous | null;

  const pushLines = (anchor: string) => {
    const anchored = byAnchor.get(anchor);
    if (!anchored) return;
    byAnchor.delete(anchor);
    for (const line of anchored) rows.push({ kind: 'presence', key: line.id, line });
    // A presence line ends a group of messages, but not the day.
    if (previous) previous = { ...previous, authorId: '' };
  };

  const place = (authorId: string, createdAt: string) => {
    const day = dayKey(createdAt);
    const at = Date.parse(createdAt);
    const newDay = previous?.day !== day;
    const compact = !!previous && !newDay && previous.authorId === authorId && at - previous.at < GROUP_MS;
    previous = { authorId, at, day };
    return { day: newDay ? createdAt : null, compact };
  };

  pushLines('');
  messages.forEach((message, index) => {
    const placed = place(message.authorId, message.createdAt);
    // Until the room's first message is held, the oldest message held only gives the
    // next one its context (same day? same author?). Shown, it would lose its day
    // separator or header once the message before it arrives, and the row shrinking
    // under the reader's eyes would shift everything below it.
    if (index === 0 && !atStart && messages.length > 1) {
      pushLines(message.id);
      return;
    }
    rows.push({ kind: 'message', key: message.id, message, ...placed });
    pushLines(message.id);
  });
  // Lines whose message is not held (or that arrived before the history) go last.
  for (const anchored of byAnchor.values()) for (const line of anchored) rows.push({ kind: 'presence', key: line.id, line });
  if (byAnchor.size && previous) previous = { ...previous, authorId: '' };
  for (const pending of outbox) {
    rows.push({ kind: 'pending', key: `pending-${pending.clientId}`, pending, ...place(pending.authorId, pending.createdAt) });
  }
  return rows;
}
