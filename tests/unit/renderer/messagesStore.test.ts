import { beforeEach, describe, expect, it } from 'vitest';
import { TRIM_TO, WINDOW_MAX } from '../../../src/renderer/stores/historyWindow';
import { findPending, selectOutbox, selectTimeline, useMessagesStore, type PendingMessage } from '../../../src/renderer/stores/messages';
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

const page = (list: ReturnType<typeof messages>, edges: { hasOlder?: boolean; hasNewer?: boolean } = {}) => ({
  messages: list,
  hasMore: edges.hasOlder ?? false,
  hasOlder: edges.hasOlder ?? false,
  hasNewer: edges.hasNewer ?? false,
});

describe('timelines', () => {
  it('entering: the latest page keeps live pushes that are newer than it', () => {
    const all = messages(4);
    store().beginTimeline(ROOM);
    store().merge(ROOM, [all[3]!]);
    store().showPage(ROOM, page(all.slice(0, 3), { hasOlder: true }), { kind: 'latest' });
    expect(ids()).toEqual(all.map((m) => m.id));
    expect(timeline()).toMatchObject({ loaded: true, hasOlder: true, hasNewer: false, tailSeq: all[3]!.seq });
  });

  it('older pages join at the front without duplicates, until the start', () => {
    const all = messages(10);
    store().beginTimeline(ROOM);
    store().showPage(ROOM, page(all.slice(6), { hasOlder: true }), { kind: 'latest' });
    store().addOlder(ROOM, page(all.slice(2, 7), { hasOlder: true }));
    expect(ids()).toEqual(all.slice(2).map((m) => m.id));
    store().addOlder(ROOM, page(all.slice(0, 2)));
    expect(ids()).toEqual(all.map((m) => m.id));
    expect(timeline().hasOlder).toBe(false);
  });

  it('catch-up pages merge after what is held, with no gap and no duplicate', () => {
    const all = messages(8);
    store().beginTimeline(ROOM);
    store().showPage(ROOM, page(all.slice(0, 4)), { kind: 'latest' });
    store().merge(ROOM, [all[6]!]);
    store().merge(ROOM, all.slice(4, 6));
    store().merge(ROOM, all.slice(5, 8));
    expect(ids()).toEqual(all.map((m) => m.id));
  });

  it('ignores pushes for rooms whose history is not held', () => {
    store().merge(OTHER_ROOM, [message({ roomId: OTHER_ROOM })]);
    expect(store().timelines[OTHER_ROOM]).toBeUndefined();
  });

  it('what is on screen survives trimming (the view range)', () => {
    const all = messages(WINDOW_MAX);
    store().beginTimeline(ROOM);
    store().showPage(ROOM, page(all, { hasOlder: true }), { kind: 'latest' });
    // The reader is near the top of the window when more messages arrive.
    store().setViewRange(ROOM, { fromSeq: all[10]!.seq, toSeq: all[30]!.seq });
    store().merge(ROOM, messages(50));
    expect(timeline().messages[10]!.id).toBe(all[10]!.id);
    expect(timeline().messages).toHaveLength(TRIM_TO);
    expect(timeline().hasNewer).toBe(true);
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
    store().showPage(ROOM, page([]), { kind: 'latest' });
    store().addPending(pending());
    const stored = message({ authorId: ALICE, clientId: 'client-1', text: 'hello' });
    store().confirmSent(stored);
    expect(selectOutbox(ROOM)(store())).toEqual([]);
    expect(ids()).toEqual([stored.id]);
  });

  it('a live push of our own message settles the outbox too (no duplicate when the ack follows)', () => {
    store().beginTimeline(ROOM);
    store().showPage(ROOM, page([]), { kind: 'latest' });
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
