import { beforeEach, describe, expect, it } from 'vitest';
import { unreadSummary, useRoomsStore } from '../../../src/renderer/stores/rooms';
import { ALICE, BOB, OTHER_ROOM, ROOM, message, summary } from './helpers';

const store = () => useRoomsStore.getState();
const room = (id = ROOM) => store().rooms.find((r) => r.id === id);

beforeEach(() => store().reset());

describe('room list', () => {
  it('lists the most recently active room first, then by name', () => {
    const older = message({ createdAt: '2025-11-25T10:00:00.000Z' });
    const newer = message({ roomId: OTHER_ROOM, createdAt: '2025-11-25T11:00:00.000Z' });
    store().setRooms([
      summary({ id: 'c'.repeat(24), name: 'zeta' }),
      summary({ id: ROOM, name: 'general', lastMessage: older }),
      summary({ id: 'd'.repeat(24), name: 'alpha' }),
      summary({ id: OTHER_ROOM, name: 'random', lastMessage: newer }),
    ]);
    expect(store().rooms.map((r) => r.name)).toEqual(['random', 'general', 'alpha', 'zeta']);
    expect(store().loaded).toBe(true);
  });

  it('counts a new message as unread in a room that is not being viewed', () => {
    store().setRooms([summary()]);
    const m = message({ authorId: BOB });
    store().messageArrived(m, { viewing: false, selfId: ALICE });
    expect(room()).toMatchObject({ unreadCount: 1, lastMessage: m });
  });

  it('does not count messages in the room being viewed, nor your own', () => {
    store().setRooms([summary()]);
    store().messageArrived(message({ authorId: BOB }), { viewing: true, selfId: ALICE });
    store().messageArrived(message({ authorId: ALICE }), { viewing: false, selfId: ALICE });
    expect(room()?.unreadCount).toBe(0);
  });

  it('counts a message once even if it is delivered twice, and never moves the preview back', () => {
    store().setRooms([summary()]);
    const first = message();
    const second = message();
    store().messageArrived(second, { viewing: false, selfId: ALICE });
    store().messageArrived(second, { viewing: false, selfId: ALICE });
    store().messageArrived(first, { viewing: false, selfId: ALICE });
    expect(room()).toMatchObject({ unreadCount: 1, lastMessage: second });
  });

  it('stops counting at 999 like the server', () => {
    store().setRooms([summary({ unreadCount: 998 })]);
    store().messageArrived(message(), { viewing: false, selfId: ALICE });
    store().messageArrived(message(), { viewing: false, selfId: ALICE });
    expect(room()?.unreadCount).toBe(999);
  });

  it('moves a room with a new message to the top', () => {
    store().setRooms([
      summary({ id: ROOM, name: 'general', lastMessage: message({ createdAt: '2025-11-25T11:00:00.000Z' }) }),
      summary({ id: OTHER_ROOM, name: 'random', lastMessage: message({ roomId: OTHER_ROOM, createdAt: '2025-11-25T10:00:00.000Z' }) }),
    ]);
    store().messageArrived(message({ roomId: OTHER_ROOM, createdAt: '2025-11-25T12:00:00.000Z' }), { viewing: false, selfId: ALICE });
    expect(store().rooms.map((r) => r.name)).toEqual(['random', 'general']);
  });

  it('marks a room read', () => {
    store().setRooms([summary({ unreadCount: 4 })]);
    store().markedRead(ROOM);
    expect(room()?.unreadCount).toBe(0);
  });

  it('adds, updates and removes rooms live', () => {
    store().setRooms([summary()]);
    store().roomAdded(summary({ id: OTHER_ROOM, name: 'random' }));
    expect(
      store()
        .rooms.map((r) => r.name)
        .sort(),
    ).toEqual(['general', 'random']);
    // Added twice (a push racing a fetch): still once.
    store().roomAdded(summary({ id: OTHER_ROOM, name: 'random' }));
    expect(store().rooms).toHaveLength(2);

    store().roomUpdated(
      {
        id: ROOM,
        name: 'renamed',
        members: [
          { userId: ALICE, username: 'alice', role: 'admin' },
          { userId: BOB, username: 'bob', role: 'member' },
          { userId: 'c'.repeat(24), username: 'carol', role: 'member' },
        ],
        version: 3,
      },
      ALICE,
    );
    expect(room()).toMatchObject({ name: 'renamed', memberCount: 3, role: 'admin' });
    expect(store().details[ROOM]?.members).toHaveLength(3);

    store().roomRemoved(ROOM);
    expect(room()).toBeUndefined();
    expect(store().details[ROOM]).toBeUndefined();
  });
});

describe('room versions', () => {
  const detail = (version: number, name: string, members = 2) => ({
    id: ROOM,
    name,
    members: [
      { userId: ALICE, username: 'alice', role: 'admin' as const },
      ...(members > 1 ? [{ userId: BOB, username: 'bob', role: 'member' as const }] : []),
    ],
    version,
  });

  it('an answer or push older than the detail held changes nothing; the same version again changes nothing either', () => {
    store().setRooms([summary()]);
    store().roomUpdated(detail(5, 'bob removed', 1), ALICE);
    const held = store();
    // The answer to an earlier request (version 4, bob still there) arrives after the push.
    store().roomUpdated(detail(4, 'bob there', 2), ALICE);
    store().setDetail(detail(4, 'bob there', 2), ALICE);
    // The same change arriving twice (its answer and its push): one update.
    store().roomUpdated(detail(5, 'bob removed', 1), ALICE);
    expect(store()).toBe(held);
    expect(store().details[ROOM]).toMatchObject({ version: 5, name: 'bob removed' });
    expect(room()).toMatchObject({ name: 'bob removed', memberCount: 1 });
    store().roomUpdated(detail(6, 'renamed'), ALICE);
    expect(room()).toMatchObject({ name: 'renamed', memberCount: 2 });
  });
});

describe('unreadSummary', () => {
  it('totals unread rooms, leaving out muted ones', () => {
    const rooms = [
      summary({ id: ROOM, name: 'general', unreadCount: 3 }),
      summary({ id: OTHER_ROOM, name: 'random', unreadCount: 5 }),
      summary({ id: 'c'.repeat(24), name: 'quiet', unreadCount: 0 }),
    ];
    expect(unreadSummary(rooms, [OTHER_ROOM])).toEqual({ total: 3, rooms: [{ roomId: ROOM, name: 'general', count: 3, mentions: 0 }] });
    expect(unreadSummary(rooms, []).total).toBe(8);
  });
});
