import { beforeEach, describe, expect, it } from 'vitest';
import { COALESCE_MS, addPresence, presenceText, selectPresenceLines, selectViewers, usePresenceStore } from '../../../src/renderer/stores/presence';
import { ROOM } from './helpers';

const store = () => usePresenceStore.getState();
const lines = () => selectPresenceLines(ROOM)(store());
const alice = { userId: 'a'.repeat(24), username: 'alice' };
const bob = { userId: 'b'.repeat(24), username: 'bob' };
const carol = { userId: 'c'.repeat(24), username: 'carol' };

beforeEach(() => store().reset());

describe('presence lines', () => {
  it('coalesces a burst of arrivals into one line', () => {
    store().presence({ roomId: ROOM, user: alice, action: 'entered', at: 1000, afterSeq: 1 });
    store().presence({ roomId: ROOM, user: bob, action: 'entered', at: 1000 + COALESCE_MS - 1, afterSeq: 1 });
    expect(lines().map(presenceText)).toEqual(['alice, bob entered']);
  });

  it('starts a new line after the window, for another action, or after a new message', () => {
    store().presence({ roomId: ROOM, user: alice, action: 'entered', at: 0, afterSeq: 1 });
    store().presence({ roomId: ROOM, user: bob, action: 'entered', at: COALESCE_MS + 1, afterSeq: 1 });
    store().presence({ roomId: ROOM, user: alice, action: 'left', at: COALESCE_MS + 2, afterSeq: 1 });
    store().presence({ roomId: ROOM, user: carol, action: 'left', at: COALESCE_MS + 3, afterSeq: 2 });
    expect(lines().map(presenceText)).toEqual(['alice entered', 'bob entered', 'alice left', 'carol left']);
  });

  it('names someone once per line', () => {
    let list = addPresence([], { roomId: ROOM, user: alice, action: 'entered', at: 0, afterSeq: 0 });
    list = addPresence(list, { roomId: ROOM, user: alice, action: 'entered', at: 10, afterSeq: 0 });
    expect(list.map(presenceText)).toEqual(['alice entered']);
  });

  it('shortens long lists', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(presenceText({ names, action: 'left' })).toBe('a, b, c and 3 others left');
    expect(presenceText({ names: names.slice(0, 4), action: 'left' })).toBe('a, b, c, d left');
  });

  it('anchors lines that came before the history', () => {
    store().presence({ roomId: ROOM, user: alice, action: 'entered', at: 0, afterSeq: null });
    store().anchorLines(ROOM, 9);
    expect(lines()[0]?.afterSeq).toBe(9);
  });

  it('is cleared when the room is left', () => {
    store().presence({ roomId: ROOM, user: alice, action: 'entered', at: 0, afterSeq: 0 });
    store().clearRoom(ROOM);
    expect(lines()).toEqual([]);
    expect(selectViewers(ROOM)(store())).toEqual([]);
  });
});

describe('here now', () => {
  it('starts from the enter answer and follows arrivals and departures', () => {
    store().setViewers(ROOM, [alice, alice]);
    expect(selectViewers(ROOM)(store())).toEqual([alice]);
    store().presence({ roomId: ROOM, user: bob, action: 'entered', at: 0, afterSeq: 0 });
    expect(selectViewers(ROOM)(store()).map((v) => v.username)).toEqual(['alice', 'bob']);
    store().presence({ roomId: ROOM, user: alice, action: 'left', at: 1, afterSeq: 0 });
    expect(selectViewers(ROOM)(store()).map((v) => v.username)).toEqual(['bob']);
  });
});
