// Runs in: the renderer. Who is typing in each room, as the room's viewers hear it
// (room:typing). What the line under the message list says: "alice is typing…".
// session/typing.ts decides when someone starts and stops; this only holds the names.
import { create } from 'zustand';
import type { Viewer } from '../../shared/contract';

const NOBODY: Viewer[] = [];

interface TypingState {
  /** Per room, the people typing there, in the order they started. */
  byRoom: Record<string, Viewer[]>;
  started(roomId: string, user: Viewer): void;
  stopped(roomId: string, userId: string): void;
  clearRoom(roomId: string): void;
  reset(): void;
}

export const useTypingStore = create<TypingState>()((set) => ({
  byRoom: {},
  started: (roomId, user) =>
    set((s) => {
      const typing = s.byRoom[roomId] ?? NOBODY;
      if (typing.some((t) => t.userId === user.userId)) return s;
      return { byRoom: { ...s.byRoom, [roomId]: [...typing, user] } };
    }),
  stopped: (roomId, userId) =>
    set((s) => {
      const typing = s.byRoom[roomId];
      if (!typing?.some((t) => t.userId === userId)) return s;
      const rest = typing.filter((t) => t.userId !== userId);
      const byRoom = { ...s.byRoom };
      if (rest.length) byRoom[roomId] = rest;
      else delete byRoom[roomId];
      return { byRoom };
    }),
  clearRoom: (roomId) =>
    set((s) => {
      if (!(roomId in s.byRoom)) return s;
      const byRoom = { ...s.byRoom };
      delete byRoom[roomId];
      return { byRoom };
    }),
  reset: () => set({ byRoom: {} }),
}));

export const selectTypists = (roomId: string) => (s: TypingState) => s.byRoom[roomId] ?? NOBODY;

/** "alice is typing…", "alice and bob are typing…", "several people are typing…"; null for nobody. */
export function typingText(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'several people are typing…';
}
