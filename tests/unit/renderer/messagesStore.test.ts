import { beforeEach, describe, expect, it } from 'vitest';
import { findPending, mergeMessages, selectOutbox, selectTimeline, useMessagesStore, type PendingMessage } from '../../../src/renderer/stores/messages';
import { ALICE, OTHER_ROOM, ROOM, message, messages } from './helpers';

const store = () => useMessagesStore.getState();
const timeline = (roomId = ROOM) => selectTimeline(roomId)(store());
const ids = (roomId = ROOM) => timeline(roomId).messages.map((m) => m.id);

function pending(overrides: Partial<PendingMessage> = {}): PendingMessage {
  return {
    clientId: 'client-1',
    roomId: ROOM,
    authorId: ALICE,
    text: 'hello',
    status: 'sending',
    error: null,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

beforeEach(() => store().reset());

describe('mergeMessages', () => {
  it('merges by id, in id order, without duplicates', () => {
    const [a, b, c, d] = messages(4);
    const { messages: merged, added } = mergeMessages([a!, c!], [d!, b!, c!, b!]);
    expect(merged.map((m) => m.id)).toEqual([a!.id, b!.id, c!.id, d!.id]);
    expect(added).toBe(2);
  });

  it('keeps the same array when nothing is new', () => {
    const list = messages(3);
    expect(mergeMessages(list, [list[1]!]).messages).toBe(list);
    expect(mergeMessages(list, []).messages).toBe(list);
  });

  it('counts the messages placed before the oldest one held', () => {
    const [a, b, c, d, e] = messages(5);
    expect(mergeMessages([c!, d!], [a!, b!, e!]).before).toBe(2);
    expect(mergeMessages([], [a!, b!]).before).toBe(0);
  });
});

describe('timelines', () => {
  it('loads the latest page and keeps live pushes that are newer than it', () => {
    const page = messages(3);
    store().beginTimeline(ROOM);
    const live = message();
    store().merge(ROOM, [live]);
    store().loadLatest(ROOM, { messages: page, hasMore: true });
    expect(ids()).toEqual([...page.map((m) => m.id), live.id]);
    expect(timeline()).toMatchObject({ loaded: true, hasOlder: true, prepended: 0 });
  });

  it('prepends older pages without duplicates and counts them for the list', () => {
    const all = messages(10);
    store().beginTimeline(ROOM);
    store().loadLatest(ROOM, { messages: all.slice(6), hasMore: true });
    // An overlapping older page: only the 4 new ones count.
    store().prependPage(ROOM, { messages: all.slice(2, 7), hasMore: true });
    expect(ids()).toEqual(all.slice(2).map((m) => m.id));
    expect(timeline().prepended).toBe(4);
    store().prependPage(ROOM, { messages: all.slice(0, 2), hasMore: false });
    expect(ids()).toEqual(all.map((m) => m.id));
    expect(timeline()).toMatchObject({ prepended: 6, hasOlder: false });
  });

  it('catch-up pages merge after what is held, with no gap and no duplicate', () => {
    const all = messages(8);
    store().beginTimeline(ROOM);
    store().loadLatest(ROOM, { messages: all.slice(0, 4), hasMore: false });
    // A live push that arrived during the catch-up, then the catch-up pages.
    store().merge(ROOM, [all[6]!]);
    store().merge(ROOM, all.slice(4, 6));
    store().merge(ROOM, all.slice(5, 8));
    expect(ids()).toEqual(all.map((m) => m.id));
    expect(timeline().prepended).toBe(0);
  });

  it('ignores pushes for rooms whose history is not held', () => {
    store().merge(OTHER_ROOM, [message({ roomId: OTHER_ROOM })]);
    expect(store().timelines[OTHER_ROOM]).toBeUndefined();
  });

  it('handles 10,000 messages quickly', () => {
    const all = messages(10_000);
    store().beginTimeline(ROOM);
    store().loadLatest(ROOM, { messages: all.slice(9_950), hasMore: true });
    const started = performance.now();
    for (let end = 9_950; end > 0; end -= 200) store().prependPage(ROOM, { messages: all.slice(Math.max(0, end - 200), end), hasMore: end > 200 });
    for (let i = 0; i < 100; i++) store().merge(ROOM, [message()]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(timeline().messages).toHaveLength(10_100);
    expect(timeline().prepended).toBe(9_950);
  });
});

describe('outbox', () => {
  it('holds a message as sending, marks it failed, and back to sending on retry, by clientId', () => {
    store().addPending(pending());
    store().addPending(pending({ clientId: 'client-2', text: 'second' }));
    store().markFailed('client-1', 'Rate limited');
    expect(findPending(store(), 'client-1')).toMatchObject({ status: 'failed', error: 'Rate limited' });
    expect(findPending(store(), 'client-2')).toMatchObject({ status: 'sending' });
    store().markSending('client-1');
    expect(findPending(store(), 'client-1')).toMatchObject({ status: 'sending', error: null, text: 'hello' });
    expect(selectOutbox(ROOM)(store()).map((p) => p.clientId)).toEqual(['client-1', 'client-2']);
  });

  it('confirming a send moves it from the outbox into the history', () => {
    store().beginTimeline(ROOM);
    store().loadLatest(ROOM, { messages: [], hasMore: false });
    store().addPending(pending());
    const stored = message({ authorId: ALICE, clientId: 'client-1', text: 'hello' });
    store().confirmSent(stored);
    expect(selectOutbox(ROOM)(store())).toEqual([]);
    expect(ids()).toEqual([stored.id]);
  });

  it('a live push of our own message settles the outbox too (no duplicate when the ack follows)', () => {
    store().beginTimeline(ROOM);
    store().loadLatest(ROOM, { messages: [], hasMore: false });
    store().addPending(pending());
    const stored = message({ authorId: ALICE, clientId: 'client-1' });
    store().merge(ROOM, [stored]);
    store().confirmSent(stored);
    expect(selectOutbox(ROOM)(store())).toEqual([]);
    expect(ids()).toEqual([stored.id]);
  });

  it('does not settle a pending message with another author’s message of the same clientId', () => {
    store().addPending(pending());
    store().merge(ROOM, [message({ clientId: 'client-1' })]);
    expect(selectOutbox(ROOM)(store())).toHaveLength(1);
  });

  it('keeps the outbox when the room’s history is dropped', () => {
    store().beginTimeline(ROOM);
    store().addPending(pending());
    store().dropTimeline(ROOM);
    expect(selectOutbox(ROOM)(store())).toHaveLength(1);
  });
});
