// Counting a user's unread mentions per room for the room list, from the one query of
// their mention documents (persistence/mentions.ts) and their read markers.
import { UNREAD_CAP } from '../../src/shared/contract.js';
import type { UnreadMention } from '../persistence/mentions.js';

/** Mention documents that no longer count: read up to `upToSeq`, or (null) a room the user is no longer in. */
export interface ReadMentions {
  roomId: string;
  upToSeq: number | null;
}

/**
 * Per room, the mentions past the user's read marker (capped like unread counts), and the
 * documents left that no longer count: the caller removes those without waiting, so the
 * collection keeps only unread mentions (a deleted room's go the next time each member lists).
 */
export function countUnreadMentions(
  mentions: readonly UnreadMention[],
  markers: ReadonlyMap<string, number>,
  memberOf: ReadonlySet<string>,
): { counts: Map<string, number>; read: ReadMentions[] } {
  const counts = new Map<string, number>();
  const read = new Map<string, number | null>();
  for (const { roomId, seq } of mentions) {
    const marker = markers.get(roomId) ?? 0;
    if (!memberOf.has(roomId)) read.set(roomId, null);
    else if (seq <= marker) read.set(roomId, marker);
    else counts.set(roomId, Math.min((counts.get(roomId) ?? 0) + 1, UNREAD_CAP));
  }
  return { counts, read: [...read].map(([roomId, upToSeq]) => ({ roomId, upToSeq })) };
}
