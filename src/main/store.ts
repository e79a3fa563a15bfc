// Runs in: the Electron main process. The only module that knows electron-store.
// One JSON file in the profile folder ("parley.json") holding the stored session and the
// settings; readable only by the user (0600) since the token may be in plain text there.
// And one file per account under "local/" (<accountId>.json) for that account's local
// data (src/main/localData.ts): the start-up cache and the outbox.
import { rmSync } from 'node:fs';
import path from 'node:path';
import Store from 'electron-store';
import type { AccountFiles, KeyValueStore } from './ports.js';
import type { PersistedData } from './schemas.js';

export function openSettingsFile(): KeyValueStore<PersistedData> & { path: string } {
  const store = new Store<PersistedData>({
    name: 'parley',
    configFileMode: 0o600,
    // A damaged file starts afresh (signed out, default settings) instead of crashing.
    clearInvalidConfig: true,
  });
  return {
    path: store.path,
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

/** `<userData>/local/<accountId>.json`; account ids are validated hex ids, safe as file names. */
export function openAccountFiles(userDataDir: string): AccountFiles & { dir: string } {
  const dir = path.join(userDataDir, 'local');
  const fileOf = (accountId: string) =>
    new Store<Record<string, unknown>>({
      name: accountId,
      cwd: dir,
      configFileMode: 0o600,
      // Keys are names ("room:<id>"), not paths into nested objects.
      accessPropertiesByDotNotation: false,
      // A damaged file is only a cache (and an outbox): start it afresh rather than fail.
      clearInvalidConfig: true,
    });
  return {
    dir,
    open(accountId) {
      const store = fileOf(accountId);
      return {
        get: (key) => store.get(key),
        set: (key, value) => store.set(key, value),
        delete: (key) => store.delete(key),
        entries: () => Object.entries(store.store),
      };
    },
    remove(accountId) {
      rmSync(path.join(dir, `${accountId}.json`), { force: true });
    },
  };
}
