// Runs in: the Electron main process (pure: works on the AccountFiles port, not on Electron).
// Main's side of ParleyBridge.openLocalStore: one file per account (the start-up cache
// and the outbox), bounded in keys and size, and open only to the account that is signed
// in: a page can read and write its own account's data, never another's, and a write
// that arrives after sign-out (a cache write still in flight) is refused instead of
// bringing wiped data back. Wiping is always allowed; an expired session drops the cache.
import { CACHE_KEY_PREFIX, LOCAL_STORE_LIMITS, LocalStoreError } from '../shared/localStore.js';
import type { Logger } from './log.js';
import type { AccountFiles, AccountFile } from './ports.js';

export interface LocalDataDeps {
  files: AccountFiles;
  /** The signed-in account (the stored session's user), or null when signed out. */
  signedInAccount(): string | null;
  log: Logger;
  limits?: Partial<LocalStoreLimits>;
}

type LocalStoreLimits = Record<keyof typeof LOCAL_STORE_LIMITS, number>;

interface OpenAccount {
  file: AccountFile;
  /** Each key's JSON length, to bound the account's total without reading the file. */
  sizes: Map<string, number>;
  total: number;
}

export class LocalData {
  private readonly open = new Map<string, OpenAccount>();
  private readonly limits: LocalStoreLimits;

  constructor(private readonly deps: LocalDataDeps) {
    this.limits = { ...LOCAL_STORE_LIMITS, ...deps.limits };
  }

  /** The JSON text stored under key, or undefined. */
  get(accountId: string, key: string): string | undefined {
    const account = this.account(accountId);
    const value = account.file.get(key);
    return value === undefined ? undefined : JSON.stringify(value);
  }

  /** The JSON texts of the entries whose key starts with prefix. */
  entries(accountId: string, prefix: string): Array<[string, string]> {
    const account = this.account(accountId);
    return account.file
      .entries()
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]): [string, string] => [key, JSON.stringify(value)]);
  }

  set(accountId: string, key: string, json: string): void {
    const account = this.account(accountId);
    if (json.length > this.limits.valueMaxChars) {
      throw new LocalStoreError('too_large', `local store: ${key} is ${json.length} characters as JSON, over the ${this.limits.valueMaxChars} limit`);
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new LocalStoreError('invalid_value', `local store: ${key} is not valid JSON`);
    }
    const previous = account.sizes.get(key);
    if (previous === undefined && account.sizes.size >= this.limits.keysPerAccount) {
      throw new LocalStoreError('too_many_keys', `local store: this account already has ${account.sizes.size} entries, the limit`);
    }
    const total = account.total - (previous ?? 0) + json.length;
    if (total > this.limits.accountMaxChars) {
      throw new LocalStoreError('too_large', `local store: this account's data would be ${total} characters, over the ${this.limits.accountMaxChars} limit`);
    }
    account.file.set(key, value);
    account.sizes.set(key, json.length);
    account.total = total;
  }

  delete(accountId: string, key: string): void {
    const account = this.account(accountId);
    account.file.delete(key);
    account.total -= account.sizes.get(key) ?? 0;
    account.sizes.delete(key);
  }

  /** Removes everything of the account from disk, signed in or not. */
  clear(accountId: string): void {
    this.open.delete(accountId);
    this.deps.files.remove(accountId);
    this.deps.log.info(`wiped the local data of account ${accountId}`);
  }

  /** Drops the account's cache (its session expired), keeping the rest (the outbox) for its next sign-in. */
  dropCache(accountId: string): void {
    const file = this.deps.files.open(accountId);
    const keys = file
      .entries()
      .map(([key]) => key)
      .filter((key) => key.startsWith(CACHE_KEY_PREFIX));
    for (const key of keys) file.delete(key);
    this.open.delete(accountId);
    if (keys.length > 0) this.deps.log.info(`dropped the cached rooms and messages of account ${accountId} (its session expired)`);
  }

  private account(accountId: string): OpenAccount {
    if (this.deps.signedInAccount() !== accountId) {
      throw new LocalStoreError('not_signed_in', 'local store: only the signed-in account\u2019s data can be read or written');
    }
    let account = this.open.get(accountId);
    if (!account) {
      const file = this.deps.files.open(accountId);
      const sizes = new Map<string, number>();
      let total = 0;
      for (const [key, value] of file.entries()) {
        const size = JSON.stringify(value)?.length ?? 0;
        sizes.set(key, size);
        total += size;
      }
      account = { file, sizes, total };
      this.open.set(accountId, account);
    }
    return account;
  }
}
