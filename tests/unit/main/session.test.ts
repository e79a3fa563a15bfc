// The stored session: restored across launches, sealed with safeStorage where the OS
// has a keyring, honestly flagged as plain text where it has not, wiped when expired.
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../../src/shared/bridge.js';
import { createTokenCipher, unprotectedReason } from '../../../src/main/secrets.js';
import { SessionStore } from '../../../src/main/session.js';
import { fakeSafeStorage, memoryStore, recordingLogger } from './fakes.js';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const SERVER = 'http://127.0.0.1:4000';

const session: StoredSession = {
  token: 'tok_abcdefghijklmnopqrstuvwxyz',
  expiresAt: '2030-01-31T12:00:00.000Z',
  user: { id: '0123456789abcdef01234567', username: 'alice', email: 'alice@example.test' },
  serverUrl: SERVER,
};

function setup(options: { available?: boolean; backend?: string; platform?: NodeJS.Platform; store?: ReturnType<typeof memoryStore>; now?: Date } = {}) {
  const store = options.store ?? memoryStore();
  const log = recordingLogger();
  const safeStorage = fakeSafeStorage({ available: options.available ?? true, backend: options.backend ?? 'gnome_libsecret' });
  const cipher = createTokenCipher(safeStorage, options.platform ?? 'linux', log);
  const sessions = new SessionStore({ store, cipher, serverOrigin: SERVER, now: () => options.now ?? NOW, log });
  return { store, log, sessions, safeStorage };
}

describe('session restore', () => {
  it('restores a saved session after a restart (a new store on the same file)', () => {
    const first = setup();
    first.sessions.save(session);
    const second = setup({ store: first.store });
    expect(second.sessions.load()).toEqual(session);
  });

  it('has nothing to restore on first launch', () => {
    expect(setup().sessions.load()).toBeNull();
  });

  it('seals the token with safeStorage when the OS keyring is available, and says so in the flag', () => {
    const { store, sessions } = setup({ platform: 'darwin' });
    sessions.save(session);
    expect(store.data.session?.tokenProtection).toBe('safeStorage');
    expect(store.data.session?.token).not.toContain(session.token);
    expect(JSON.stringify(store.data)).not.toContain(session.token);
  });

  it('wipes a session whose expiry has passed, on load', () => {
    const { store, sessions, log } = setup();
    sessions.save({ ...session, expiresAt: '2030-01-01T11:59:59.000Z' });
    expect(sessions.load()).toBeNull();
    expect(store.data.session).toBeUndefined();
    expect(log.lines.some((l) => l.message.includes('expired'))).toBe(true);
  });

  it('treats the exact expiry instant as expired', () => {
    const { sessions } = setup();
    sessions.save({ ...session, expiresAt: NOW.toISOString() });
    expect(sessions.load()).toBeNull();
  });

  it('wipes a stored session that does not have the expected shape', () => {
    const store = memoryStore({ session: { token: 'x', tokenProtection: 'plaintext' } as never });
    const { sessions } = setup({ store });
    expect(sessions.load()).toBeNull();
    expect(store.data.session).toBeUndefined();
  });

  it('wipes a session whose token cannot be decrypted (keyring changed)', () => {
    const store = memoryStore({ session: { ...session, token: Buffer.from('garbage').toString('base64'), tokenProtection: 'safeStorage' } });
    const { sessions, log } = setup({ store });
    expect(sessions.load()).toBeNull();
    expect(store.data.session).toBeUndefined();
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('cannot be decrypted'))).toBe(true);
  });

  it('wipes an encrypted session when the keyring is gone', () => {
    const first = setup();
    first.sessions.save(session);
    const second = setup({ store: first.store, available: false });
    expect(second.sessions.load()).toBeNull();
    expect(first.store.data.session).toBeUndefined();
  });

  it('does not restore a session for another server, but keeps it', () => {
    const { store, sessions } = setup();
    sessions.save({ ...session, serverUrl: 'https://other.example.com' });
    expect(sessions.load()).toBeNull();
    expect(store.data.session).toBeDefined();
  });

  it('clear removes the session', () => {
    const { store, sessions } = setup();
    sessions.save(session);
    sessions.clear();
    expect(store.data.session).toBeUndefined();
    expect(sessions.load()).toBeNull();
  });
});

describe('where there is no keyring', () => {
  it("stores the token as plain text under Linux's basic_text backend, flags it, and says so once", () => {
    const { store, sessions, log, safeStorage } = setup({ backend: 'basic_text' });
    sessions.save(session);
    sessions.save(session);
    expect(store.data.session?.tokenProtection).toBe('plaintext');
    expect(store.data.session?.token).toBe(session.token);
    expect(safeStorage.calls).not.toContain('encrypt');
    expect(sessions.protection).toBe('plaintext');
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/basic_text.*unencrypted/);
    expect(sessions.load()).toEqual(session);
  });

  it('stores plain text when safeStorage is unavailable, and keeps working', () => {
    const { store, sessions, log } = setup({ available: false, platform: 'win32' });
    sessions.save(session);
    expect(store.data.session?.tokenProtection).toBe('plaintext');
    expect(sessions.load()).toEqual(session);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('seals a plain-text token once a keyring becomes available', () => {
    const first = setup({ backend: 'basic_text' });
    first.sessions.save(session);
    const second = setup({ store: first.store, backend: 'kwallet5' });
    expect(second.sessions.load()).toEqual(session);
    expect(first.store.data.session?.tokenProtection).toBe('safeStorage');
    expect(first.store.data.session?.token).not.toBe(session.token);
  });
});

describe('unprotectedReason', () => {
  it.each([
    [{ available: true, backend: 'gnome_libsecret' }, 'linux', null],
    [{ available: true, backend: 'kwallet6' }, 'linux', null],
    [{ available: true, backend: 'basic_text' }, 'linux', /basic_text/],
    [{ available: true, backend: 'unknown' }, 'linux', /unknown/],
    [{ available: false }, 'darwin', /no OS keyring/],
    [{ available: true, backend: 'basic_text' }, 'darwin', null],
    [{ available: true }, 'win32', null],
  ] as const)('%o on %s', (options, platform, expected) => {
    const reason = unprotectedReason(fakeSafeStorage(options), platform);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});
