// A history request in seq terms, shared by the room-tail cache and the database path.
import type { HistoryQuery } from '../../src/shared/contract.js';

export type HistoryRequest =
  | { kind: 'latest'; limit: number }
  | { kind: 'before'; seq: number; limit: number }
  /** `seq` 0 is the start of the room (`?after=start`). */
  | { kind: 'after'; seq: number; limit: number }
  | { kind: 'around'; messageId: string; limit: number };

export function toHistoryRequest(q: HistoryQuery): HistoryRequest {
  if (q.before !== undefined) return { kind: 'before', seq: q.before, limit: q.limit };
  if (q.after === 'start') return { kind: 'after', seq: 0, limit: q.limit };
  if (q.after !== undefined) return { kind: 'after', seq: q.after, limit: q.limit };
  if (q.around !== undefined) return { kind: 'around', messageId: q.around, limit: q.limit };
  return { kind: 'latest', limit: q.limit };
}

/** How an `around` page splits its limit: this many before the message, the rest from it on. */
export const olderShareOf = (limit: number) => Math.floor((limit - 1) / 2);
