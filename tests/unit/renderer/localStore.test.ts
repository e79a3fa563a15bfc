// The web build's local store: one IndexedDB database per account (fake-indexeddb here,
// the same IndexedDB API Chromium offers), JSON values, limits, and wiping.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LOCAL_STORE_LIMITS, openWebLocalStore, webLocalDatabaseName } from '../../../src/renderer/platform/localStore';

const ALICE = '0123456789abcdef01234567';
const BOB = '76543210fedcba9876543210';

describe('web local store (IndexedDB)', () => {
  it('keeps values by key across handles (a reload opens a new one) and deletes them', async () => {
    const first = openWebLocalStore(ALICE);
    await first.set('rooms', [{ id: 'r1', unread: 2, lastMessage: null }]);
    await first.set('room:r1', { messages: [{ seq: 1, text: 'hi', edited: undefined }] });
    const second = openWebLocalStore(ALICE);
    expect(await second.get('rooms')).toEqual([{ id: 'r1', unread: 2, lastMessage: null }]);
    // Values are JSON, the same as in the desktop app: undefined fields are dropped.
    expect(await second.get('room:r1')).toEqual({ messages: [{ seq: 1, text: 'hi' }] });
    await second.delete('room:r1');
    expect(await first.get('room:r1')).toBeUndefined();
    expect(await first.get('never-set')).toBeUndefined();
  });

  it('reads every entry under a prefix at once, and nothing once wiped', async () => {
    const store = openWebLocalStore(ALICE);
    await store.set('cache:rooms', [{ id: 'r1' }]);
    await store.set('cache:room:r1', { messages: [] });
    await store.set('outbox', [{ clientId: 'c1' }]);
    expect(await store.entries('cache:')).toEqual([
      ['cache:room:r1', { messages: [] }],
      ['cache:rooms', [{ id: 'r1' }]],
    ]);
    expect(await store.entries('nothing:')).toEqual([]);
    await store.clear();
    expect(await store.entries('cache:')).toEqual([]);
  });

  it('keeps accounts apart, and wiping one leaves the other', async () => {
    const alice = openWebLocalStore(ALICE);
    const bob = openWebLocalStore(BOB);
    await alice.set('outbox', ['a']);
    await bob.set('outbox', ['b']);
    await alice.clear();
    expect(await openWebLocalStore(ALICE).get('outbox')).toBeUndefined();
    expect(await openWebLocalStore(BOB).get('outbox')).toEqual(['b']);
    expect(webLocalDatabaseName(ALICE)).toBe(`parley-local-${ALICE}`);
  });

  it('closes a wiped handle: a write still in flight cannot bring the data back', async () => {
    const store = openWebLocalStore(ALICE);
    await store.set('rooms', [1]);
    const late = store.set('rooms', [1, 2]);
    await store.clear();
    await late; // issued before the wipe: the wipe comes after it
    expect(await openWebLocalStore(ALICE).get('rooms')).toBeUndefined();
    await expect(store.set('rooms', [3])).rejects.toThrow(/wiped/);
    expect(await store.get('rooms')).toBeUndefined();
    expect(await openWebLocalStore(ALICE).get('rooms')).toBeUndefined();
  });

  it('refuses bad accounts, keys and values with a clear error', async () => {
    expect(() => openWebLocalStore('alice')).toThrow(/24-character hex id/);
    const store = openWebLocalStore(ALICE);
    await expect(store.set('', 1)).rejects.toThrow(/keys are 1-100 characters/);
    await expect(store.get('a/b')).rejects.toThrow(/keys are/);
    await expect(store.set('big', 'x'.repeat(LOCAL_STORE_LIMITS.valueMaxChars))).rejects.toThrow(/over the 2097152 limit/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.set('cyclic', cyclic)).rejects.toThrow(/cyclic is not JSON/);
  });
});
