// The shapes the contract promises, built from stored records; used by HTTP answers
// and socket pushes alike so both always agree.
import type { Message, PublicUser, RoomDetail, RoomSummary } from '../../src/shared/contract.js';
import { findMember, type Room } from '../domain/membership.js';
import type { User } from '../persistence/users.js';

export const presentUser = (u: User): PublicUser => ({ id: u.id, username: u.username, email: u.email });

export const presentRoomDetail = (room: Room): RoomDetail => ({
  id: room.id,
  name: room.name,
  members: room.members.map((m) => ({ userId: m.userId, username: m.username, role: m.role })),
  version: room.version,
});

export function presentRoomSummary(room: Room, userId: string, lastMessage: Message | null, unreadCount: number, mentionCount = 0): RoomSummary {
  return {
    id: room.id,
    name: room.name,
    role: findMember(room, userId)?.role ?? 'member',
    memberCount: room.members.length,
    lastMessage,
    unreadCount,
    mentionCount,
  };
}
