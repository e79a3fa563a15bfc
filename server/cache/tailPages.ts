// Answers a history request from a room's cached tail (its newest messages, in seq
// order) when the tail certainly holds the whole answer, and says null otherwise so
// the caller asks the database. "Certainly" means every seq the page spans is held:
// seqs are unique per room, so a run of held seqs without a hole is exactly what the
// database holds there.
import type { HistoryPage, Message } from '../../src/shared/contract.js';
import { olderShareOf, type HistoryRequest } from './historyRequest.js';

export function pageFromTail(tail: readonly Message[], request: HistoryRequest): HistoryPage | null {
  const lowest = tail[0]?.seq ?? 1;
  const reachesStart = lowest === 1;
  switch (request.kind) {
    case 'latest': {
      if (tail.length < request.limit && !reachesStart) return null;
      const messages = tail.slice(-request.limit);
      const hasOlder = tail.length > request.limit || (messages[0]?.seq ?? 1) > 1;
      return { messages, hasMore: hasOlder, hasOlder, hasNewer: false };
    }
    case 'before': {
      const from = Math.max(1, request.seq - request.limit);
      const messages = run(tail, from, request.seq - 1);
      if (!messages) return null;
      const hasOlder = from > 1;
      return { messages, hasMore: hasOlder, hasOlder, hasNewer: true };
    }
    case 'after': {
      if (request.seq + 1 < lowest) return null;
      const after = tail.filter((m) => m.seq > request.seq);
      const messages = after.slice(0, request.limit);
      if (!startsAt(messages, request.seq + 1)) return null;
      const hasNewer = after.length > request.limit;
      return { messages, hasMore: hasNewer, hasOlder: request.seq >= 1, hasNewer };
    }
    case 'around': {
      const target = tail.find((m) => m.id === request.messageId);
      if (!target) return null;
      const olderShare = olderShareOf(request.limit);
      const from = Math.max(1, target.seq - olderShare);
      const older = run(tail, from, target.seq - 1);
      if (!older) return null;
      const after = tail.filter((m) => m.seq > target.seq);
      const newer = after.slice(0, request.limit - olderShare - 1);
      if (!startsAt(newer, target.seq + 1)) return null;
      const hasOlder = from > 1;
      return { messages: [...older, target, ...newer], hasMore: hasOlder, hasOlder, hasNewer: after.length > newer.length };
    }
  }
}

/** The held messages with seq from..to, or null unless every one of them is held. */
function run(tail: readonly Message[], from: number, to: number): Message[] | null {
  if (to < from) return (tail[0]?.seq ?? 1) <= from ? [] : null;
  const messages = tail.filter((m) => m.seq >= from && m.seq <= to);
  return messages.length === to - from + 1 ? messages : null;
}

/** Whether the messages are consecutive seqs starting at `first` (an empty list is). */
function startsAt(messages: readonly Message[], first: number): boolean {
  return messages.every((m, i) => m.seq === first + i);
}
