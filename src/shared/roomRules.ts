// Runs in: every process (pure). Room rules that the server enforces and the clients
// show, written once: the sidebar's order, and who is a room's last admin.
import type { Role, RoomSummary } from './contract.js';

const activity = (room: Pick<RoomSummary, 'lastMessage'>): string => room.lastMessage?.createdAt ?? '';

/** Most recently active first (the newest message), then by name: the room list's order everywhere. */
export function compareRooms(a: Pick<RoomSummary, 'name' | 'lastMessage'>, b: Pick<RoomSummary, 'name' | 'lastMessage'>): number {
  return activity(b).localeCompare(activity(a)) || a.name.localeCompare(b.name);
}

/** The user is an admin and no other member is: they can neither be demoted nor leave. */
export function isLastAdmin(members: ReadonlyArray<{ userId: string; role: Role }>, userId: string): boolean {
  const admins = members.filter((m) => m.role === 'admin');
  return admins.length === 1 && admins[0]!.userId === userId;
}
