// Runs in: the renderer. One account's data on this device (the start-up cache, the
// outbox), through the host: `getBridge().openLocalStore(accountId)`. The web build keeps
// it in IndexedDB (below); the desktop app in an electron-store file per account, in the
// main process behind IPC (src/main/localData.ts). Both go through the same wrapper
// (src/shared/localStore.ts): same key rules, same size limits, JSON values, closed once wiped.
//
// Why idb-keyval: the store is a handful of whole values read and written by key, which
// is all idb-keyval does, in ~600 bytes with no dependencies, maintained by the author of
// `idb`. A database of our own (schema versions, indexes) would buy nothing here.
import { clear, createStore, del, get, promisifyRequest, set } from 'idb-keyval';
import { checkAccountId, createLocalStore, type LocalStore } from '../../shared/localStore';

export { LOCAL_STORE_LIMITS, type LocalStore } from '../../shared/localStore';

/** The IndexedDB database holding one account's data in the web build (object store `entries`, JSON text by key). */
export function webLocalDatabaseName(accountId: string): string {
  return `parley-local-${accountId}`;
}

/** The web build's LocalStore: one IndexedDB database per account, so wiping one never touches another. */
export function openWebLocalStore(accountId: string): LocalStore {
  checkAccountId(accountId);
  const store = createStore(webLocalDatabaseName(accountId), 'entries');
  return createLocalStore({
    get: (key) => get<string>(key, store),
    // The keys and their values under the prefix, in one transaction: one round trip.
    entries: (prefix) =>
      store('readonly', async (entries) => {
        const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
        const [keys, values] = await Promise.all([promisifyRequest(entries.getAllKeys(range)), promisifyRequest(entries.getAll(range))]);
        return keys.map((key, i): [string, string] => [String(key), values[i] as string]);
      }),
    set: (key, json) => set(key, json, store),
    delete: (key) => del(key, store),
    clear: () => clear(store),
  });
}
