// Runs in: the renderer, the preload and the Electron main process (no platform imports).
// One account's data kept on this device (the room-list and message cache, the outbox):
// the LocalStore port the renderer uses, its limits, and the one wrapper both hosts put
// around their storage (IndexedDB in the web build, electron-store behind IPC in the
// desktop app) so keys, sizes and wiping behave the same in both.

/** One account's local data. Values are JSON: what JSON cannot hold (undefined, Dates) is dropped or turned to text, as JSON.stringify does. */
export interface LocalStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Every entry whose key starts with `prefix`, in one read (the start-up cache reads all of its keys at once). */
  entries<T>(prefix: string): Promise<Array<[key: string, value: T]>>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Wipes everything of this account (sign-out, session expiry). The handle is closed afterwards: later reads find nothing and writes are refused, so a write still in flight cannot bring the data back. */
  clear(): Promise<void>;
}

/**
 * Bounds, enforced before anything is stored. The cache holds ~11 entries (the room list
 * and 10 room pages of 50 messages, ~150 kB in all) and the outbox one; the caps leave
 * room for growth while keeping the desktop file (rewritten whole on each write) small.
 */
export const LOCAL_STORE_LIMITS = {
  keyMaxLength: 100,
  /** One value, as JSON text (UTF-16 code units). */
  valueMaxChars: 2 * 1024 * 1024,
  keysPerAccount: 200,
  /** All of one account's values together, as JSON text. */
  accountMaxChars: 16 * 1024 * 1024,
} as const;

/**
 * Keys under this prefix are a cache (room list, room pages: session/startCache.ts),
 * dropped when a session expires; the rest (the outbox) waits for the same account to
 * sign in again. Signing out wipes everything.
 */
export const CACHE_KEY_PREFIX = 'cache:';

/** Account ids are the server's user ids. */
export const ACCOUNT_ID = /^[0-9a-f]{24}$/;
/** Keys name what they hold: `rooms`, `room:<id>`, `outbox`. Safe as file and database keys. */
export const LOCAL_KEY = new RegExp(`^[A-Za-z0-9][A-Za-z0-9:._-]{0,${LOCAL_STORE_LIMITS.keyMaxLength - 1}}$`);

export class LocalStoreError extends Error {
  constructor(
    readonly code: 'invalid_account' | 'invalid_key' | 'invalid_value' | 'too_large' | 'too_many_keys' | 'closed' | 'not_signed_in',
    message: string,
  ) {
    super(message);
    this.name = 'LocalStoreError';
  }
}

export function checkAccountId(accountId: string): void {
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw new LocalStoreError('invalid_account', 'local store: the account id must be a 24-character hex id');
  }
}

export function checkKey(key: string): void {
  if (typeof key !== 'string' || !LOCAL_KEY.test(key)) {
    throw new LocalStoreError(
      'invalid_key',
      `local store: keys are 1-${LOCAL_STORE_LIMITS.keyMaxLength} characters of A-Z a-z 0-9 : . _ - (got ${JSON.stringify(String(key).slice(0, 40))})`,
    );
  }
}

/** The value as the JSON text that is stored, refusing what JSON cannot hold and what is too big. */
export function encodeValue(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new LocalStoreError('invalid_value', `local store: ${key} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (json === undefined) throw new LocalStoreError('invalid_value', `local store: ${key} has no JSON form (undefined or a function); use delete()`);
  if (json.length > LOCAL_STORE_LIMITS.valueMaxChars) {
    throw new LocalStoreError('too_large', `local store: ${key} is ${json.length} characters as JSON, over the ${LOCAL_STORE_LIMITS.valueMaxChars} limit`);
  }
  return json;
}

/** Where a host keeps one account's JSON texts. */
export interface LocalStoreBackend {
  get(key: string): Promise<string | undefined>;
  entries(prefix: string): Promise<Array<[key: string, json: string]>>;
  set(key: string, json: string): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
}

/** The LocalStore over a host's backend: keys checked, values as JSON, closed once wiped. */
export function createLocalStore(backend: LocalStoreBackend): LocalStore {
  let closed = false;
  const refuseClosed = () => {
    if (closed) throw new LocalStoreError('closed', 'local store: this account\u2019s data was wiped; open the store again after signing in');
  };
  // A damaged entry is as good as none: the cache is refilled from the server.
  const parse = <T>(json: string): T | undefined => {
    try {
      return JSON.parse(json) as T;
    } catch {
      return undefined;
    }
  };
  return {
    async get<T>(key: string): Promise<T | undefined> {
      checkKey(key);
      if (closed) return undefined;
      const json = await backend.get(key);
      return json === undefined || closed ? undefined : parse<T>(json);
    },
    async entries<T>(prefix: string): Promise<Array<[string, T]>> {
      checkKey(prefix);
      if (closed) return [];
      const found = await backend.entries(prefix);
      if (closed) return [];
      return found.flatMap(([key, json]): Array<[string, T]> => {
        const value = parse<T>(json);
        return value === undefined ? [] : [[key, value]];
      });
    },
    async set(key, value) {
      checkKey(key);
      refuseClosed();
      await backend.set(key, encodeValue(key, value));
    },
    async delete(key) {
      checkKey(key);
      refuseClosed();
      await backend.delete(key);
    },
    async clear() {
      closed = true;
      await backend.clear();
    },
  };
}
