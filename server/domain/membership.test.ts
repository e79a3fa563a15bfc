// Unit tests of the pure room rules: no database, no transport.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/shared/contract.js';
import { AppError } from './errors.js';
import { addMember, findMember, newRoom, removeMember, rename, requireAdmin, requireCanDelete, requireMember, setRole, type Room } from './membership.js';

const NOW = new Date('2025-01-01T00:00:00Z');
const LATER = new Date('2025-01-02T00:00:00Z');
const ann = { userId: 'u-ann', username: 'ann' };
const bob = { userId: 'u-bob', username: 'bob' };
const cat = { userId: 'u-cat', username: 'cat' };
const dan = { userId: 'u-dan', username: 'dan' };

/** ann (admin, creator), bob (member), cat (member). */
function roomWithMembers(): Room {
  let room = newRoom('r1', 'General', ann, NOW);
  room = addMember(room, ann.userId, bob, NOW);
  room = addMember(room, ann.userId, cat, NOW);
  return room;
}

/** ann and bob admins, cat member. */
function roomWithTwoAdmins(): Room {
  return setRole(roomWithMembers(), ann.userId, bob.userId, 'admin');
}

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
  return 'no error';
}

const roles = (room: Room) => Object.fromEntries(room.members.map((m) => [m.username, m.role]));

describe('newRoom', () => {
  it('makes the creator its only member and admin, at version 1', () => {
    const room = newRoom('r1', 'General', ann, NOW);
    expect(room).toEqual({
      id: 'r1',
      name: 'General',
      version: 1,
      createdAt: NOW,
      members: [{ userId: 'u-ann', username: 'ann', role: 'admin', joinedAt: NOW }],
    });
  });
});

describe('requireMember / requireAdmin', () => {
  it('answers room_not_found for a missing room and for a non-member alike', () => {
    expect(codeOf(() => requireMember(null, ann.userId))).toBe('room_not_found');
    expect(codeOf(() => requireMember(roomWithMembers(), dan.userId))).toBe('room_not_found');
    expect(codeOf(() => requireAdmin(null, ann.userId))).toBe('room_not_found');
    expect(codeOf(() => requireAdmin(roomWithMembers(), dan.userId))).toBe('room_not_found');
  });

  it('returns the member, and refuses a plain member admin rights with forbidden', () => {
    const room = roomWithMembers();
    expect(requireMember(room, bob.userId).username).toBe('bob');
    expect(requireAdmin(room, ann.userId).role).toBe('admin');
    expect(codeOf(() => requireAdmin(room, bob.userId))).toBe('forbidden');
  });

  it('maps the error codes to their HTTP statuses', () => {
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as AppError).status;
      }
      return 0;
    };
    expect(status(() => requireMember(null, ann.userId))).toBe(404);
    expect(status(() => requireAdmin(roomWithMembers(), bob.userId))).toBe(403);
    expect(status(() => setRole(newRoom('r', 'x', ann, NOW), ann.userId, ann.userId, 'member'))).toBe(409);
  });
});

describe('rename', () => {
  it('lets an admin rename without touching members', () => {
    const room = roomWithMembers();
    const renamed = rename(room, ann.userId, 'Lobby');
    expect(renamed.name).toBe('Lobby');
    expect(renamed.members).toEqual(room.members);
    expect(room.name).toBe('General'); // the input is not mutated
  });

  it('refuses a plain member (forbidden) and a non-member (room_not_found)', () => {
    const room = roomWithMembers();
    expect(codeOf(() => rename(room, bob.userId, 'Lobby'))).toBe('forbidden');
    expect(codeOf(() => rename(room, dan.userId, 'Lobby'))).toBe('room_not_found');
  });
});

describe('addMember', () => {
  it('adds the user as a plain member with the given join time', () => {
    const room = newRoom('r1', 'General', ann, NOW);
    const after = addMember(room, ann.userId, bob, LATER);
    expect(after.members).toEqual([
      { ...ann, role: 'admin', joinedAt: NOW },
      { ...bob, role: 'member', joinedAt: LATER },
    ]);
    expect(room.members).toHaveLength(1);
  });

  it('any admin may add, not only the creator', () => {
    const after = addMember(roomWithTwoAdmins(), bob.userId, dan, NOW);
    expect(findMember(after, dan.userId)?.role).toBe('member');
  });

  it('refuses an existing member with already_member', () => {
    expect(codeOf(() => addMember(roomWithMembers(), ann.userId, bob, NOW))).toBe('already_member');
    expect(codeOf(() => addMember(roomWithMembers(), ann.userId, ann, NOW))).toBe('already_member');
  });

  it('refuses a plain member (forbidden) and a non-member (room_not_found)', () => {
    expect(codeOf(() => addMember(roomWithMembers(), bob.userId, dan, NOW))).toBe('forbidden');
    expect(codeOf(() => addMember(roomWithMembers(), dan.userId, dan, NOW))).toBe('room_not_found');
  });
});

describe('removeMember', () => {
  it('lets an admin remove a member', () => {
    const after = removeMember(roomWithMembers(), ann.userId, bob.userId);
    expect(after.members.map((m) => m.username)).toEqual(['ann', 'cat']);
  });

  it('lets an admin remove another admin (admins are equal)', () => {
    const after = removeMember(roomWithTwoAdmins(), bob.userId, ann.userId);
    expect(roles(after)).toEqual({ bob: 'admin', cat: 'member' });
  });

  it('lets a plain member leave at any time', () => {
    const after = removeMember(roomWithMembers(), cat.userId, cat.userId);
    expect(after.members.map((m) => m.username)).toEqual(['ann', 'bob']);
  });

  it('makes an admin relinquish before leaving, whether or not other admins exist', () => {
    expect(codeOf(() => removeMember(roomWithMembers(), ann.userId, ann.userId))).toBe('admin_must_relinquish');
    expect(codeOf(() => removeMember(roomWithTwoAdmins(), ann.userId, ann.userId))).toBe('admin_must_relinquish');
    // Once relinquished, leaving works.
    const relinquished = setRole(roomWithTwoAdmins(), ann.userId, ann.userId, 'member');
    expect(removeMember(relinquished, ann.userId, ann.userId).members.map((m) => m.username)).toEqual(['bob', 'cat']);
  });

  it('refuses a plain member removing someone else with forbidden', () => {
    expect(codeOf(() => removeMember(roomWithMembers(), bob.userId, cat.userId))).toBe('forbidden');
    expect(codeOf(() => removeMember(roomWithMembers(), bob.userId, ann.userId))).toBe('forbidden');
  });

  it('refuses a non-member actor with room_not_found, even to "leave"', () => {
    expect(codeOf(() => removeMember(roomWithMembers(), dan.userId, bob.userId))).toBe('room_not_found');
    expect(codeOf(() => removeMember(roomWithMembers(), dan.userId, dan.userId))).toBe('room_not_found');
  });

  it('answers not_member when an admin targets someone outside the room', () => {
    expect(codeOf(() => removeMember(roomWithMembers(), ann.userId, dan.userId))).toBe('not_member');
  });
});

describe('setRole', () => {
  it('lets an admin grant admin to a member', () => {
    expect(roles(setRole(roomWithMembers(), ann.userId, bob.userId, 'admin'))).toEqual({ ann: 'admin', bob: 'admin', cat: 'member' });
  });

  it('lets admins revoke each other (admins are equal)', () => {
    const room = roomWithTwoAdmins();
    expect(roles(setRole(room, bob.userId, ann.userId, 'member'))).toEqual({ ann: 'member', bob: 'admin', cat: 'member' });
    expect(roles(setRole(room, ann.userId, bob.userId, 'member'))).toEqual({ ann: 'admin', bob: 'member', cat: 'member' });
  });

  it('lets an admin relinquish when another admin remains', () => {
    expect(roles(setRole(roomWithTwoAdmins(), bob.userId, bob.userId, 'member'))).toEqual({ ann: 'admin', bob: 'member', cat: 'member' });
  });

  it('never lets the last admin relinquish', () => {
    const room = roomWithMembers();
    expect(codeOf(() => setRole(room, ann.userId, ann.userId, 'member'))).toBe('last_admin');
    expect(codeOf(() => setRole(newRoom('r', 'Solo', ann, NOW), ann.userId, ann.userId, 'member'))).toBe('last_admin');
  });

  it('never lets anyone demote the last admin', () => {
    // The only one who could demote the last admin is another admin, and then it is not the last;
    // a plain member trying is refused before the rule is even reached.
    expect(codeOf(() => setRole(roomWithMembers(), bob.userId, ann.userId, 'member'))).toBe('forbidden');
    // After bob demotes ann, bob is last: ann can no longer demote bob, and bob cannot demote himself.
    const bobLast = setRole(roomWithTwoAdmins(), bob.userId, ann.userId, 'member');
    expect(codeOf(() => setRole(bobLast, ann.userId, bob.userId, 'member'))).toBe('forbidden');
    expect(codeOf(() => setRole(bobLast, bob.userId, bob.userId, 'member'))).toBe('last_admin');
  });

  it('returns the very same room when the role is unchanged (no write needed)', () => {
    const room = roomWithTwoAdmins();
    expect(setRole(room, ann.userId, bob.userId, 'admin')).toBe(room);
    expect(setRole(room, ann.userId, cat.userId, 'member')).toBe(room);
    // Even for the last admin "setting" admin on themselves: not a demotion.
    const solo = roomWithMembers();
    expect(setRole(solo, ann.userId, ann.userId, 'admin')).toBe(solo);
  });

  it('refuses a plain member (forbidden), a non-member actor (room_not_found) and a non-member target (not_member)', () => {
    const room = roomWithMembers();
    expect(codeOf(() => setRole(room, bob.userId, cat.userId, 'admin'))).toBe('forbidden');
    expect(codeOf(() => setRole(room, bob.userId, bob.userId, 'admin'))).toBe('forbidden');
    expect(codeOf(() => setRole(room, dan.userId, bob.userId, 'admin'))).toBe('room_not_found');
    expect(codeOf(() => setRole(room, ann.userId, dan.userId, 'admin'))).toBe('not_member');
  });

  it('does not mutate its input', () => {
    const room = roomWithTwoAdmins();
    const snapshot = structuredClone(room);
    setRole(room, ann.userId, bob.userId, 'member');
    expect(room).toEqual(snapshot);
  });
});

describe('requireCanDelete', () => {
  it('allows any admin and refuses members (forbidden) and outsiders (room_not_found)', () => {
    const room = roomWithTwoAdmins();
    expect(codeOf(() => requireCanDelete(room, ann.userId))).toBe('no error');
    expect(codeOf(() => requireCanDelete(room, bob.userId))).toBe('no error');
    expect(codeOf(() => requireCanDelete(room, cat.userId))).toBe('forbidden');
    expect(codeOf(() => requireCanDelete(room, dan.userId))).toBe('room_not_found');
    expect(codeOf(() => requireCanDelete(null, ann.userId))).toBe('room_not_found');
  });
});
