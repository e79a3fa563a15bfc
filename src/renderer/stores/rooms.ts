// Runs in: the renderer. The rooms the user belongs to, as the sidebar lists them, and
// the member lists of rooms whose Manage tab has been opened. Kept live by socket events.
import { create } from 'zustand';
import type { Message, RoomDetail, RoomSummary } from '../../shared/contract';
import { UNREAD_CAP } from '../../shared/contractValues';
import type { UnreadSummary } from '../../shared/bridge';
import { compareRooms } from '../../shared/roomRules';

/** The server's order (src/shared/roomRules.ts), kept as things change. */
export function sortRooms(rooms: RoomSummary[]): RoomSummary[] {
  return [...rooms].sort(compareRooms);
}

interface RoomsState {
  rooms: RoomSummary[];
  /** The first list has arrived from the server. */
  loaded: boolean;
  details: Record<string, RoomDetail>;
  /**
   * The newest version of each room seen in a detail (an answer or a push): a detail
   * that is older, or the same version again, changes nothing.
   */
  versions: Record<string, number>;
  setRooms(rooms: RoomSummary[]): void;
  /** The list kept from the last session (session/startCache.ts), shown until the server's arrives; ignored once it has. */
  showCached(rooms: RoomSummary[]): void;
  roomAdded(room: RoomSummary): void;
  roomRemoved(roomId: string): void;
  /** A rename or member change; `selfId` finds the user's own role in the new member list. */
  roomUpdated(room: RoomDetail, selfId: string | null): void;
  setDetail(room: RoomDetail, selfId: string | null): void;
  /** A new message: becomes the preview, moves the room up, and counts as unread unless viewed or own. */
  messageArrived(message: Message, options: { viewing: boolean; selfId: string | null }): void;
  markedRead(roomId: string): void;
  reset(): void;
}

const initial = { rooms: [] as RoomSummary[], loaded: false, details: {} as Record<string, RoomDetail>, versions: {} as Record<string, number> };

/** The store after taking `detail`, unless it is not newer than what is held. */
function withDetail(s: RoomsState, detail: RoomDetail, selfId: string | null, resort: boolean): Partial<RoomsState> | RoomsState {
  if (detail.version <= (s.versions[detail.id] ?? 0)) return s;
  const rooms = s.rooms.map((r) => (r.id === detail.id ? applyDetail(r, detail, selfId) : r));
  return {
    rooms: resort ? sortRooms(rooms) : rooms,
    details: { ...s.details, [detail.id]: detail },
    versions: { ...s.versions, [detail.id]: detail.version },
  };
}

function applyDetail(room: RoomSummary, detail: RoomDetail, selfId: string | null): RoomSummary {
  const self = detail.members.find((m) => m.userId === selfId);
  return { ...room, name: detail.name, memberCount: detail.members.length, role: self?.role ?? room.role };
}

export const useRoomsStore = create<RoomsState>()((set) => ({
  ...initial,

  setRooms: (rooms) => set({ rooms: sortRooms(rooms), loaded: true }),

  showCached: (rooms) => set((s) => (s.loaded ? s : { rooms: sortRooms(rooms) })),

  roomAdded: (room) => set((s) => ({ rooms: sortRooms([...s.rooms.filter((r) => r.id !== room.id), room]) })),

  roomRemoved: (roomId) =>
    set((s) => {
      if (!s.rooms.some((r) => r.id === roomId) && !(roomId in s.details)) return s;
      const details = { ...s.details };
      delete details[roomId];
      return { rooms: s.rooms.filter((r) => r.id !== roomId), details };
    }),

  roomUpdated: (detail, selfId) => set((s) => withDetail(s, detail, selfId, true)),

  setDetail: (detail, selfId) => set((s) => withDetail(s, detail, selfId, false)),

  messageArrived: (message, { viewing, selfId }) =>
    set((s) => {
      const room = s.rooms.find((r) => r.id === message.roomId);
      if (!room) return s;
      // Out-of-order or repeated deliveries never move the preview back or count twice.
      if (room.lastMessage && room.lastMessage.seq >= message.seq) return s;
      const counts = !viewing && message.authorId !== selfId;
      const mentionsMe = counts && selfId !== null && (message.mentions?.includes(selfId) ?? false);
      const mentionCount = room.mentionCount ?? 0;
      const next: RoomSummary = {
        ...room,
        lastMessage: message,
        unreadCount: counts ? Math.min(room.unreadCount + 1, UNREAD_CAP) : room.unreadCount,
        mentionCount: mentionsMe ? Math.min(mentionCount + 1, UNREAD_CAP) : mentionCount,
      };
      return { rooms: sortRooms(s.rooms.map((r) => (r.id === room.id ? next : r))) };
    }),

  markedRead: (roomId) =>
    set((s) => {
      const room = s.rooms.find((r) => r.id === roomId);
      if (!room || (room.unreadCount === 0 && !room.mentionCount)) return s;
      return { rooms: s.rooms.map((r) => (r.id === roomId ? { ...r, unreadCount: 0, mentionCount: 0 } : r)) };
    }),

  reset: () => set(initial),
}));

export const selectRooms = (s: RoomsState) => s.rooms;
export const selectRoomsLoaded = (s: RoomsState) => s.loaded;
export const selectRoom = (roomId: string | null) => (s: RoomsState) => (roomId ? s.rooms.find((r) => r.id === roomId) : undefined);
export const selectDetail = (roomId: string | null) => (s: RoomsState) => (roomId ? s.details[roomId] : undefined);

/** What the tray and badge show: unread rooms that are not muted. */
export function unreadSummary(rooms: RoomSummary[], mutedRoomIds: readonly string[]): UnreadSummary {
  const counted = rooms.filter((r) => r.unreadCount > 0 && !mutedRoomIds.includes(r.id));
  return {
    total: counted.reduce((sum, r) => sum + r.unreadCount, 0),
    rooms: counted.map((r) => ({ roomId: r.id, name: r.name, count: r.unreadCount, mentions: r.mentionCount ?? 0 })),
  };
}
