// Each account's local data in the desktop app (start-up cache, outbox): kept per account
// across restarts, open only to the signed-in account, bounded, wiped at sign-out and
// with an expired session. Runs main's real modules on in-memory ports.
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../../src/shared/bridge.js';
import { createLocalStore } from '../../../src/shared/localStore.js';
import { LocalData } from '../../../src/main/localData.js';
import { createTokenCipher } from '../../../src/main/secrets.js';
import { SessionStore } from '../../../src/main/session.js';
import { fakeSafeStorage, memoryAccountFiles, memoryStore, recordingLogger } from './fakes.js';

const SERVER = 'http://127.0.0.1:4000';
const ALICE = '0123456789abcdef01234567';
const BOB = '76543210fedcba9876543210';
let now = new Date('2030-01-01T12:00:00.000Z');

const sessionOf = (id: string, expiresAt = '2030-01-31T12:00:00.000Z'): StoredSession => ({
  token: `tok_${id}`,
  expiresAt,
  user: { id, username: id === ALICE ? 'alice' : 'bob', email: 'x@example.test' },
  serverUrl: SERVER,
});

/** One "launch" of main: the settings file and the local folder survive across launches. */
function launch(disk = { settings: memoryStore(), files: memoryAccountFiles() }, limits?: ConstructorParameters<typeof LocalData>[0]['limits']) {
  const log = recordingLogger();
  const cipher = createTokenCipher(fakeSafeStorage({ available: true }), 'darwin', log);
  let local: LocalData | null = null;
  const sessions = new SessionStore({
    store: disk.settings,
    cipher,
    serverOrigin: SERVER,
    now: () => now,
    log,
    onExpired: (accountId) => local?.dropCache(accountId),
  });
  local = new LocalData({ files: disk.files, signedInAccount: () => sessions.signedInAccount(), log, limits });
  return { disk, log, sessions, local };
}

describe('local data in main', () => {
  it('keeps the signed-in account\u2019s entries across a restart, as JSON text in and out', () => {
    const first = launch();
    first.sessions.save(sessionOf(ALICE));
    first.local.set(ALICE, 'rooms', '[{"id":"r1","name":"general"}]');
    first.local.set(ALICE, 'room:r1', '{"messages":[{"seq":1}]}');
    first.local.delete(ALICE, 'room:r1');
    const second = launch(first.disk);
    expect(second.local.get(ALICE, 'rooms')).toBe('[{"id":"r1","name":"general"}]');
    expect(second.local.get(ALICE, 'room:r1')).toBeUndefined();
    expect(second.local.get(ALICE, 'outbox')).toBeUndefined();
  });

  it('keeps accounts apart and opens only the signed-in one\u2019s', () => {
    const { sessions, local, disk } = launch();
    sessions.save(sessionOf(BOB));
    local.set(BOB, 'rooms', '["bob\u2019s"]');
    sessions.save(sessionOf(ALICE));
    local.set(ALICE, 'rooms', '["alice\u2019s"]');
    expect(() => local.get(BOB, 'rooms')).toThrow(/only the signed-in account/);
    expect(() => local.set(BOB, 'rooms', '[]')).toThrow(/only the signed-in account/);
    expect(disk.files.disk.get(BOB)).toBe('{"rooms":["bob\u2019s"]}');
    expect(local.get(ALICE, 'rooms')).toBe('["alice\u2019s"]');
  });

  it('refuses a write that arrives after sign-out (nothing comes back once wiped)', () => {
    const { sessions, local, disk } = launch();
    sessions.save(sessionOf(ALICE));
    local.set(ALICE, 'rooms', '[1]');
    // Sign-out: the page wipes its data and the session is cleared, in either order.
    local.clear(ALICE);
    sessions.clear();
    expect(() => local.set(ALICE, 'rooms', '[1]')).toThrow(/only the signed-in account/);
    expect(disk.files.disk.has(ALICE)).toBe(false);
  });

  it('drops an account\u2019s cache when its stored session is found expired, keeping its outbox for the next sign-in', () => {
    const first = launch();
    first.sessions.save(sessionOf(ALICE, '2030-01-02T12:00:00.000Z'));
    first.local.set(ALICE, 'outbox', '[{"clientId":"c1"}]');
    first.local.set(ALICE, 'cache:rooms', '{"v":1,"rooms":[]}');
    first.local.set(ALICE, 'cache:room:aaaaaaaaaaaaaaaaaaaaaaaa', '{"v":1,"messages":[]}');
    now = new Date('2030-01-03T12:00:00.000Z');
    try {
      const second = launch(first.disk);
      expect(second.sessions.signedInAccount()).toBeNull();
      expect(second.sessions.load()).toBeNull();
      expect(first.disk.files.disk.get(ALICE)).toBe('{"outbox":[{"clientId":"c1"}]}');
      expect(second.log.lines.some((l) => l.message.includes(`dropped the cached rooms and messages of account ${ALICE}`))).toBe(true);
      second.sessions.save(sessionOf(ALICE, '2030-02-01T12:00:00.000Z'));
      expect(second.local.get(ALICE, 'outbox')).toBe('[{"clientId":"c1"}]');
      expect(second.local.get(ALICE, 'cache:rooms')).toBeUndefined();
    } finally {
      now = new Date('2030-01-01T12:00:00.000Z');
    }
  });

  it('does not open the data of a session stored for another backend', () => {
    const { sessions, local } = launch();
    sessions.save({ ...sessionOf(ALICE), serverUrl: 'https://elsewhere.example' });
    expect(() => local.get(ALICE, 'rooms')).toThrow(/only the signed-in account/);
  });

  it('bounds one value, the number of keys and the account\u2019s total, and says which', () => {
    const { sessions, local } = launch(undefined, { valueMaxChars: 100, keysPerAccount: 3, accountMaxChars: 250 });
    sessions.save(sessionOf(ALICE));
    expect(() => local.set(ALICE, 'a', JSON.stringify('x'.repeat(99)))).toThrow(/a is 101 characters as JSON, over the 100 limit/);
    local.set(ALICE, 'a', JSON.stringify('x'.repeat(98)));
    local.set(ALICE, 'b', JSON.stringify('x'.repeat(98)));
    expect(() => local.set(ALICE, 'c', JSON.stringify('x'.repeat(98)))).toThrow(/would be 300 characters, over the 250 limit/);
    // Replacing an entry counts its new size, not both.
    local.set(ALICE, 'b', JSON.stringify('x'.repeat(48)));
    local.set(ALICE, 'c', '1');
    expect(() => local.set(ALICE, 'd', '1')).toThrow(/already has 3 entries, the limit/);
    local.delete(ALICE, 'c');
    local.set(ALICE, 'd', '1');
    expect(() => local.set(ALICE, 'e', 'not json')).toThrow(/e is not valid JSON/);
  });

  it('counts what is already on disk toward the bounds after a restart', () => {
    const first = launch(undefined, { keysPerAccount: 2 });
    first.sessions.save(sessionOf(ALICE));
    first.local.set(ALICE, 'a', '1');
    first.local.set(ALICE, 'b', '2');
    const second = launch(first.disk, { keysPerAccount: 2 });
    expect(() => second.local.set(ALICE, 'c', '3')).toThrow(/already has 2 entries/);
  });

  it('behaves as the renderer\u2019s LocalStore through the shared wrapper (the preload\u2019s path)', async () => {
    const { sessions, local } = launch();
    sessions.save(sessionOf(ALICE));
    const store = createLocalStore({
      get: async (key) => local.get(ALICE, key),
      entries: async (prefix) => local.entries(ALICE, prefix),
      set: async (key, json) => local.set(ALICE, key, json),
      delete: async (key) => local.delete(ALICE, key),
      clear: async () => local.clear(ALICE),
    });
    await store.set('rooms', [{ id: 'r1', lastMessage: null, at: new Date('2030-01-01T00:00:00.000Z') }]);
    expect(await store.get('rooms')).toEqual([{ id: 'r1', lastMessage: null, at: '2030-01-01T00:00:00.000Z' }]);
    await store.set('cache:recent', { roomIds: ['r1'] });
    await store.set('outbox', []);
    expect(await store.entries('cache:')).toEqual([['cache:recent', { roomIds: ['r1'] }]]);
    await store.clear();
    await expect(store.set('rooms', [])).rejects.toThrow(/wiped/);
    sessions.clear();
  });
});
