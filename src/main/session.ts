// Runs in: the Electron main process (pure: works on ports, not on Electron).
// The stored sign-in: restored at launch so the app signs straight back in, wiped when
// it has expired or cannot be read, and written with the token sealed by TokenCipher
// and a flag saying how it was stored.
import type { StoredSession } from '../shared/bridge.js';
import { originOf } from '../shared/urls.js';
import type { Logger } from './log.js';
import type { KeyValueStore } from './ports.js';
import { persistedSessionSchema, type PersistedData, type TokenProtection } from './schemas.js';
import type { TokenCipher } from './secrets.js';

export interface SessionStoreDeps {
  store: KeyValueStore<PersistedData>;
  cipher: TokenCipher;
  /** The backend this build talks to; a session for another server is not restored. */
  serverOrigin: string;
  now?: () => Date;
  log: Logger;
  /** A stored session was found expired and removed: its account's cached data goes with it. */
  onExpired?: (accountId: string) => void;
}

export class SessionStore {
  private readonly now: () => Date;

  constructor(private readonly deps: SessionStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** How a token saved now would be stored. */
  get protection(): TokenProtection {
    return this.deps.cipher.protection;
  }

  load(): StoredSession | null {
    const { store, cipher, log } = this.deps;
    const raw = store.get('session');
    if (raw === undefined) return null;
    const parsed = persistedSessionSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn('the stored session is unreadable; it was removed');
      store.delete('session');
      return null;
    }
    const { tokenProtection, token: sealed, ...rest } = parsed.data;
    if (!(Date.parse(rest.expiresAt) > this.now().getTime())) {
      log.info('the stored session has expired; it was removed');
      store.delete('session');
      this.deps.onExpired?.(rest.user.id);
      return null;
    }
    if (originOf(rest.serverUrl) !== this.deps.serverOrigin) {
      log.info(`the stored session is for ${originOf(rest.serverUrl) ?? 'an unreadable address'}, not ${this.deps.serverOrigin}; not restoring it`);
      return null;
    }
    let token: string;
    try {
      token = cipher.open(sealed, tokenProtection);
    } catch (error) {
      log.warn(`the stored session token cannot be decrypted (${errorText(error)}); it was removed`);
      store.delete('session');
      return null;
    }
    const session: StoredSession = { ...rest, token };
    // A keyring that appeared since the token was stored in plain text: seal it now.
    if (tokenProtection === 'plaintext' && cipher.protection === 'safeStorage') this.save(session);
    return session;
  }

  /**
   * Whose local data the page may use: the stored session's user while that session is
   * readable, unexpired and for this backend; null otherwise (signed out).
   */
  signedInAccount(): string | null {
    const parsed = persistedSessionSchema.safeParse(this.deps.store.get('session'));
    if (!parsed.success) return null;
    const { user, expiresAt, serverUrl } = parsed.data;
    if (!(Date.parse(expiresAt) > this.now().getTime())) return null;
    return originOf(serverUrl) === this.deps.serverOrigin ? user.id : null;
  }

  save(session: StoredSession): void {
    const { store, cipher } = this.deps;
    store.set('session', { ...session, token: cipher.seal(session.token), tokenProtection: cipher.protection });
  }

  clear(): void {
    this.deps.store.delete('session');
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
