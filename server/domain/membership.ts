// Parley's room rules, in one place and free of I/O: who may do what to a room, and
// what the room looks like afterwards. Services load a room, apply one of these
// functions and store the result with a compare-and-set on `version`, so a rule
// checked here still holds when two requests race.
import type { Role } from '../../src/shared/contract.js';
import { isLastAdmin } from '../../src/shared/roomRules.js';
import { AppError, roomNotFound } from './errors.js';

export interface Member {
  userId: string;
  username: string;
  role: Role;
  joinedAt: Date;
}

export interface Room {
  id: string;
  name: string;
  members: Member[];
  /** Bumped on every change to name or members; the compare-and-set key. */
  version: number;
  createdAt: Date;
}

export function findMember(room: Room, userId: string): Member | undefined {
  return room.members.find((m) => m.userId === userId);
}

/** Non-members must not learn that a room exists, so they get the same 404 as for a missing room. */
export function requireMember(room: Room | null, userId: string): Member {
  const member = room && findMember(room, userId);
  if (!member) throw roomNotFound();
  return member;
}

export function requireAdmin(room: Room | null, userId: string): Member {
  const member = requireMember(room, userId);
  if (member.role !== 'admin') throw new AppError('forbidden', 'Only an admin of this room can do that.');
  return member;
}

function requireTarget(room: Room, userId: string): Member {
  const target = findMember(room, userId);
  if (!target) throw new AppError('not_member', 'That user is not a member of this room.');
  return target;
}

export function newRoom(id: string, name: string, creator: { userId: string; username: string }, now: Date): Room {
  return { id, name, version: 1, createdAt: now, members: [{ ...creator, role: 'admin', joinedAt: now }] };
}

export function rename(room: Room, actorId: string, name: string): Room {
  requireAdmin(room, actorId);
  return { ...room, name };
}

export function addMember(room: Room, actorId: string, user: { userId: string; username: string }, now: Date): Room {
  requireAdmin(room, actorId);
  if (findMember(room, user.userId)) throw new AppError('already_member', `${user.username} is already a member of this room.`);
  return { ...room, members: [...room.members, { ...user, role: 'member', joinedAt: now }] };
}

/** An admin removing someone, or anyone removing themselves (leaving). */
export function removeMember(room: Room, actorId: string, targetId: string): Room {
  const actor = requireMember(room, actorId);
  if (actorId === targetId) {
    if (actor.role === 'admin') {
      throw new AppError(
        'admin_must_relinquish',
        isLastAdmin(room.members, actorId)
          ? 'You are the last admin: make someone else admin, then give up admin before leaving.'
          : 'You are an admin: give up admin before leaving the room.',
      );
    }
  } else {
    requireAdmin(room, actorId);
    requireTarget(room, targetId);
  }
  return { ...room, members: room.members.filter((m) => m.userId !== targetId) };
}

/** Grant or revoke admin; revoking your own is relinquishing. The last admin can never be demoted. */
export function setRole(room: Room, actorId: string, targetId: string, role: Role): Room {
  requireAdmin(room, actorId);
  const target = requireTarget(room, targetId);
  if (target.role === role) return room;
  if (role === 'member' && isLastAdmin(room.members, targetId)) {
    throw new AppError(
      'last_admin',
      actorId === targetId ? 'You are the last admin: make someone else admin first.' : `${target.username} is the last admin of this room.`,
    );
  }
  return { ...room, members: room.members.map((m) => (m.userId === targetId ? { ...m, role } : m)) };
}

export function requireCanDelete(room: Room | null, actorId: string): void {
  requireAdmin(room, actorId);
}
