// Issue 12 in the renderer's logic: the typing line's words and the typing tracker's
// pacing and forgetting, mention suggestions, mention counts in the room list, where
// the "New messages" line starts, and a message's text split into links and mentions.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING } from '../../../src/shared/contract';
import { mentionOptions } from '../../../src/renderer/components/room/MentionPicker';
import { messagePieces } from '../../../src/renderer/components/room/MessageBody';
import { TypingTracker } from '../../../src/renderer/session/typing';
import { unreadSummary, useRoomsStore } from '../../../src/renderer/stores/rooms';
import { selectTypists, typingText, useTypingStore } from '../../../src/renderer/stores/typing';
import { firstUnreadSeq } from '../../../src/renderer/stores/unreadLine';
import { ALICE, BOB, ROOM, message, summary } from './helpers';

const CAROL = 'c'.repeat(24);

describe('typing line', () => {
  it('names one or two typists, and says "several" beyond', () => {
    expect(typingText([])).toBeNull();
    expect(typingText(['alice'])).toBe('alice is typing…');
    expect(typingText(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingText(['alice', 'bob', 'carol'])).toBe('several people are typing…');
  });
});

describe('TypingTracker', () => {
  let now = 0;
  let emitted: Array<[string, unknown]> = [];
  const socket = { connected: true, emit: (event: string, payload: unknown) => void emitted.push([event, payload]) };
  const tracker = () =>
    new TypingTracker(
      socket as never,
      () => ALICE,
      () => now,
    );
  const typists = () => selectTypists(ROOM)(useTypingStore.getState()).map((t) => t.username);

  beforeEach(() => {
    now = 1_000_000;
    emitted = [];
    socket.connected = true;
    useTypingStore.getState().reset();
  });
  afterEach(() => vi.useRealTimers());

  it('says it is typing at most once every 3 s, stops when the box is emptied, and starts afresh after a send', () => {
    const t = tracker();
    t.input(ROOM, 'h');
    t.input(ROOM, 'he');
    now += TYPING.sendEveryMs - 1;
    t.input(ROOM, 'hel');
    expect(emitted).toEqual([['typing:start', { roomId: ROOM }]]);
    now += 1;
    t.input(ROOM, 'hell');
    expect(emitted).toHaveLength(2);
    t.input(ROOM, '  ');
    expect(emitted.at(-1)).toEqual(['typing:stop', { roomId: ROOM }]);
    t.input(ROOM, '');
    expect(emitted).toHaveLength(3);
    t.input(ROOM, 'again');
    t.sent(ROOM);
    t.input(ROOM, 'n');
    expect(emitted.filter(([e]) => e === 'typing:start')).toHaveLength(4);
  });

  it('sends nothing while disconnected', () => {
    socket.connected = false;
    tracker().input(ROOM, 'hi');
    expect(emitted).toEqual([]);
  });

  it('shows who is typing until they stop, send, leave or go quiet for 6 s; never yourself', () => {
    vi.useFakeTimers();
    const t = tracker();
    t.heard({ roomId: ROOM, user: { userId: BOB, username: 'bob' }, typing: true });
    t.heard({ roomId: ROOM, user: { userId: CAROL, username: 'carol' }, typing: true });
    t.heard({ roomId: ROOM, user: { userId: ALICE, username: 'alice' }, typing: true });
    expect(typists()).toEqual(['bob', 'carol']);
    t.heard({ roomId: ROOM, user: { userId: BOB, username: 'bob' }, typing: false });
    expect(typists()).toEqual(['carol']);
    vi.advanceTimersByTime(TYPING.forgetAfterMs - 1000);
    // A refresh keeps carol; without one she is forgotten.
    t.heard({ roomId: ROOM, user: { userId: CAROL, username: 'carol' }, typing: true });
    vi.advanceTimersByTime(TYPING.forgetAfterMs - 1);
    expect(typists()).toEqual(['carol']);
    vi.advanceTimersByTime(1);
    expect(typists()).toEqual([]);
    t.heard({ roomId: ROOM, user: { userId: BOB, username: 'bob' }, typing: true });
    t.stop(ROOM, BOB);
    expect(typists()).toEqual([]);
    t.heard({ roomId: ROOM, user: { userId: BOB, username: 'bob' }, typing: true });
    t.connectionLost();
    expect(typists()).toEqual([]);
  });
});

describe('mention suggestions', () => {
  const members = [
    { userId: ALICE, username: 'alice', role: 'admin' as const },
    { userId: BOB, username: 'bob', role: 'member' as const },
    { userId: CAROL, username: 'Bobby', role: 'member' as const },
  ];
  it('offers members whose name starts with what was typed, case-insensitively, never yourself', () => {
    expect(mentionOptions(members, '', ALICE).map((m) => m.username)).toEqual(['bob', 'Bobby']);
    expect(mentionOptions(members, 'BO', ALICE).map((m) => m.username)).toEqual(['bob', 'Bobby']);
    expect(mentionOptions(members, 'bobb', ALICE).map((m) => m.username)).toEqual(['Bobby']);
    expect(mentionOptions(members, 'a', ALICE)).toEqual([]);
  });
});

describe('mentions in the room list', () => {
  const store = () => useRoomsStore.getState();
  beforeEach(() => store().reset());

  it('counts a message that mentions you when you are not looking, apart from unread; reading clears both', () => {
    store().setRooms([summary({ unreadCount: 0, mentionCount: 0 })]);
    store().messageArrived(message({ seq: 1, mentions: [ALICE] }), { viewing: false, selfId: ALICE });
    store().messageArrived(message({ seq: 2 }), { viewing: false, selfId: ALICE });
    store().messageArrived(message({ seq: 3, mentions: [BOB] }), { viewing: false, selfId: ALICE });
    store().messageArrived(message({ seq: 4, mentions: [ALICE] }), { viewing: true, selfId: ALICE });
    expect(store().rooms[0]).toMatchObject({ unreadCount: 3, mentionCount: 1 });
    expect(unreadSummary(store().rooms, []).rooms[0]).toMatchObject({ count: 3, mentions: 1 });
    store().markedRead(ROOM);
    expect(store().rooms[0]).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });
});

describe('the New messages line', () => {
  it('starts at the first unread seq, from the newest seq and the unread count', () => {
    expect(firstUnreadSeq(40, 3)).toBe(38);
    expect(firstUnreadSeq(40, 0)).toBeNull();
    expect(firstUnreadSeq(undefined, 3)).toBeNull();
    expect(firstUnreadSeq(5, 999)).toBe(1);
  });
});

describe('message text', () => {
  const people = [
    { userId: ALICE, username: 'alice' },
    { userId: BOB, username: 'bob' },
  ];
  it('highlights the mentions the server found (yours apart), links stay links, the rest is text', () => {
    expect(messagePieces('hi @alice and @bob, see https://example.com @carol', [ALICE, BOB], people, ALICE)).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@alice', me: true },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@bob', me: false },
      { kind: 'text', text: ', see ' },
      { kind: 'link', text: 'https://example.com', url: 'https://example.com' },
      { kind: 'text', text: ' @carol' },
    ]);
  });

  it('does not highlight a name the server did not find as a mention', () => {
    expect(messagePieces('@bob hi', [], people, ALICE)).toEqual([{ kind: 'text', text: '@bob hi' }]);
  });
});
