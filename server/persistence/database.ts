// The only place that opens MongoDB. One MongoClient per process, shared by every
// repository; indexes are declared here and created idempotently at start-up.
import { MongoClient, type Db } from 'mongodb';

export interface Database {
  /** The database of the current client: a stable handle, safe to keep (see replaceClient). */
  db: Db;
  /** Whether a fresh client could reach the server right now (used to tell a wedged client from an outage). */
  canReachServer(): Promise<boolean>;
  /** Swaps in a freshly connected client and closes the old one (its stuck operations fail). */
  replaceClient(): Promise<void>;
  close(): Promise<void>;
}

const clientOptions = {
  // An acknowledged write must survive a primary failover on a replica set;
  // on a standalone server (or FerretDB) majority is simply the one node.
  writeConcern: { w: 'majority' },
  // Fail a request within seconds while the database is away, rather than hanging it.
  serverSelectionTimeoutMS: 3_000,
  appName: 'parley-server',
} as const;

export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
  let client = new MongoClient(uri, clientOptions);
  await client.connect();
  // Repositories look collections up on this handle per operation, so after a client
  // replacement they use the new client without knowing. The driver (7.x) can leave a
  // client waiting forever on a connection that died mid-write when the server restarts;
  // replacing the client is the way out of that.
  const db = new Proxy({} as Db, {
    get(_target, property) {
      const current = client.db(dbName);
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  await ensureIndexes(db);
  return {
    db,
    async canReachServer() {
      const probe = new MongoClient(uri, { ...clientOptions, serverSelectionTimeoutMS: 1_500, appName: 'parley-probe' });
      try {
        await probe.db(dbName).command({ ping: 1 });
        return true;
      } catch {
        return false;
      } finally {
        await probe.close(true).catch(() => {});
      }
    },
    async replaceClient() {
      const fresh = new MongoClient(uri, clientOptions);
      await fresh.connect();
      const old = client;
      client = fresh;
      await old.close(true).catch(() => {});
    },
    close: () => client.close(),
  };
}

/** createIndex is a no-op when an identical index exists, so this runs on every start. */
export async function ensureIndexes(db: Db): Promise<void> {
  await Promise.all([
    db.collection('users').createIndex({ usernameLower: 1 }, { unique: true, name: 'username_unique' }),
    db.collection('users').createIndex({ emailLower: 1 }, { unique: true, name: 'email_unique' }),
    db.collection('sessions').createIndex({ userId: 1 }, { name: 'sessions_by_user' }),
    db.collection('sessions').createIndex({ expiresAt: 1 }, { name: 'sessions_by_expiry' }),
    db.collection('rooms').createIndex({ 'members.userId': 1 }, { name: 'rooms_by_member' }),
    db.collection('messages').createIndex({ roomId: 1, _id: -1 }, { name: 'history' }),
    db.collection('messages').createIndex({ authorId: 1, clientId: 1 }, { unique: true, name: 'send_idempotency' }),
    db.collection('readMarkers').createIndex({ userId: 1 }, { name: 'read_markers_by_user' }),
  ]);
}

/** MongoDB's duplicate-key error, raised by unique indexes (FerretDB raises the same code). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
