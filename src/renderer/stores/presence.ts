// Runs in: the renderer. Who is viewing each room's chat now ("Here now"), and the live
// "alice entered" / "bob left" lines. The lines are never stored anywhere: they exist
// while the room is open and are gone when the user leaves it.
import { create } from 'zustand';
import type { Viewer } from '../../shared/contract';

export type PresenceAction = 'entered' | 'left';

export interface PresenceLine {
  id: string;
  roomId: string;
  action: PresenceAction;
  /** Usernames, in the order they arrived. */
  names: string[];
  userIds: string[];
  /**
   * The seq of the newest message held when the line appeared: the line is shown after it.
   * 0 puts it before every message (an empty room); null means the history had not
   * arrived yet (anchored once it does).
   */
  afterSeq: number | null;
  /** Local clock, ms: when the burst began. */
  at: number;
}

/** Arrivals and departures within this window of the first one share a line. */
export const COALESCE_MS = 5000;
/** Presence lines kept per open room; older ones fall off. */
export const MAX_LINES = 100;

const EMPTY_VIEWERS: Viewer[] = [];
const EMPTY_LINES: PresenceLine[] = [];
let lineSeq = 0;

/** "alice entered", "alice, bob left", "alice, bob, carol and 2 others entered". */
export function presenceText(line: Pick<PresenceLine, 'names' | 'action'>): string {
  const shown = line.names.length > 4 ? line.names.slice(0, 3) : line.names;
  const rest = line.names.length - shown.length;
  const who = rest > 0 ? `${shown.join(', ')} and ${rest} others` : shown.join(', ');
  return `${who} ${line.action}`;
}

/** Adds one presence event to a room's lines, joining the last line when it is part of the same burst. */
export function addPresence(
  lines: PresenceLine[],
  event: { roomId: string; user: Viewer; action: PresenceAction; at: number; afterSeq: number | null },
): PresenceLine[] {
  const last = lines[lines.length - 1];
  if (last && last.action === event.action && last.afterSeq === event.afterSeq && event.at - last.at <= COALESCE_MS) {
    if (last.userIds.includes(event.user.userId)) return lines;
    const merged = { ...last, names: [...last.names, event.user.username], userIds: [...last.userIds, event.user.userId] };
    return [...lines.slice(0, -1), merged];
  }
  const line: PresenceLine = {
    id: `presence-${++lineSeq}`,
    roomId: event.roomId,
    action: event.action,
    names: [event.user.username],
    userIds: [event.user.userId],
    afterSeq: event.afterSeq,
    at: event.at,
  };
  const next = [...lines, line];
  return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
}

interface PresenceState {
  viewers: Record<string, Viewer[]>;
  lines: Record<string, PresenceLine[]>;
  setViewers(roomId: string, viewers: Viewer[]): void;
  presence(event: { roomId: string; user: Viewer; action: PresenceAction; at: number; afterSeq: number | null }): void;
  /** The history arrived: lines that came before it are shown after its newest message. */
  anchorLines(roomId: string, afterSeq: number): void;
  clearRoom(roomId: string): void;
  /** The connection is gone: who is viewing is unknown (the lines already shown stay). */
  clearViewers(): void;
  reset(): void;
}

export const usePresenceStore = create<PresenceState>()((set) => ({
  viewers: {},
  lines: {},

  setViewers: (roomId, viewers) => {
    const unique = [...new Map(viewers.map((v) => [v.userId, v])).values()];
    set((s) => ({ viewers: { ...s.viewers, [roomId]: unique } }));
  },

  presence: (event) =>
    set((s) => {
      const current = s.viewers[event.roomId] ?? EMPTY_VIEWERS;
      const others = current.filter((v) => v.userId !== event.user.userId);
      const viewers = event.action === 'entered' ? [...others, event.user] : others;
      return {
        viewers: { ...s.viewers, [event.roomId]: viewers },
        lines: { ...s.lines, [event.roomId]: addPresence(s.lines[event.roomId] ?? EMPTY_LINES, event) },
      };
    }),

  anchorLines: (roomId, afterSeq) =>
    set((s) => {
      const lines = s.lines[roomId];
      if (!lines?.some((l) => l.afterSeq === null)) return s;
      return { lines: { ...s.lines, [roomId]: lines.map((l) => (l.afterSeq === null ? { ...l, afterSeq } : l)) } };
    }),

  clearRoom: (roomId) =>
    set((s) => {
      if (!s.viewers[roomId] && !s.lines[roomId]) return s;
      const viewers = { ...s.viewers };
      const lines = { ...s.lines };
      delete viewers[roomId];
      delete lines[roomId];
      return { viewers, lines };
    }),

  clearViewers: () => set((s) => (Object.keys(s.viewers).length === 0 ? s : { viewers: {} })),
  reset: () => set({ viewers: {}, lines: {} }),
}));

export const selectViewers = (roomId: string) => (s: PresenceState) => s.viewers[roomId] ?? EMPTY_VIEWERS;
export const selectPresenceLines = (roomId: string) => (s: PresenceState) => s.lines[roomId] ?? EMPTY_LINES;
