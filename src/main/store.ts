// Runs in: the Electron main process. The only module that knows electron-store.
// One JSON file in the profile folder ("parley.json") holding the stored session and the
// settings; readable only by the user (0600) since the token may be in plain text there.
import Store from 'electron-store';
import type { KeyValueStore } from './ports.js';
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
