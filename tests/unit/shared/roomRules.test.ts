// The room rules server and clients share: the list's order and the last admin.
import { describe, expect, it } from 'vitest';
import { compareRooms, isLastAdmin } from '../../../src/shared/roomRules.js';

const room = (name: string, at: string | null) => ({ name, lastMessage: at === null ? null : ({ createdAt: at } as never) });

describe('compareRooms', () => {
  it('puts the most recently active first, rooms without messages last, ties by name', () => {
    const rooms = [room('b quiet', null), room('old', '2025-01-01T00:00:00.000Z'), room('a quiet', null), room('new', '2025-02-01T00:00:00.000Z')];
    expect([...rooms].sort(compareRooms).map((r) => r.name)).toEqual(['new', 'old', 'a quiet', 'b quiet']);
  });
});

describe('isLastAdmin', () => {
  it('is true only for the one admin of a room', () => {
    const members = [
      { userId: 'ann', role: 'admin' as const },
      { userId: 'bob', role: 'member' as const },
    ];
    expect(isLastAdmin(members, 'ann')).toBe(true);
    expect(isLastAdmin(members, 'bob')).toBe(false);
    expect(isLastAdmin([...members, { userId: 'cat', role: 'admin' }], 'ann')).toBe(false);
    expect(isLastAdmin([], 'ann')).toBe(false);
  });
});
