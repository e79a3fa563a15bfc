// Runs in: the renderer. Where the "New messages" line goes in each open room: the seq of
// the first message that was unread when the room was opened. It stays put while the
// room is open (reading does not move it) and goes when the room is left.
import { create } from 'zustand';

interface UnreadLineState {
  byRoom: Record<string, number>;
  set(roomId: string, firstUnreadSeq: number): void;
  clear(roomId: string): void;
  reset(): void;
}

export const useUnreadLineStore = create<UnreadLineState>()((set) => ({
  byRoom: {},
  set: (roomId, firstUnreadSeq) => set((s) => ({ byRoom: { ...s.byRoom, [roomId]: firstUnreadSeq } })),
  clear: (roomId) =>
    set((s) => {
      if (!(roomId in s.byRoom)) return s;
      const byRoom = { ...s.byRoom };
      delete byRoom[roomId];
      return { byRoom };
    }),
  reset: () => set({ byRoom: {} }),
}));

export const selectUnreadLine = (roomId: string) => (s: UnreadLineState) => s.byRoom[roomId] ?? null;

/** The first unread message's seq, from a room's newest seq and unread count; null when nothing is unread. */
export function firstUnreadSeq(lastSeq: number | undefined, unreadCount: number): number | null {
  if (!lastSeq || unreadCount <= 0) return null;
  return Math.max(1, lastSeq - unreadCount + 1);
}
