// The only place that opens MongoDB. One MongoClient per process, shared by every
// repository; indexes are declared here and created idempotently at start-up. A second,
// tiny client serves the health ping alone, so a ping never queues behind user work.
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import type { Logger } from '../logger.js';
import { migrate } from './migrations.js';

export interface Database {
  /** The database of the current client: a stable handle, safe to keep (see replaceClient). */
  db: Db;
  /** The same database over the health check's own client (one or two connections, nothing else uses them). */
  healthDb: Db;
  /** When the shared client last finished an operation: a busy client is making progress, a wedged one is not. */
  lastProgressAt(): number;
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

/** The health ping's client: fails fast when the server is away, never waits behind the shared pool. */
const healthClientOptions = { serverSelectionTimeoutMS: 1_000, maxPoolSize: 2, appName: 'parley-health' } as const;

export interface DatabaseOptions {
  logger?: Logger;
  /** Sees every command this process sends (tests and benchmarks count queries with it). */
  onCommand?: (event: CommandStartedEvent) => void;
}

export async function connectDatabase(uri: string, dbName: string, options: DatabaseOptions = {}): Promise<Database> {
  const connect = async () => {
    const fresh = new MongoClient(uri, { ...clientOptions, monitorCommands: Boolean(options.onCommand) });
    if (options.onCommand) fresh.on('commandStarted', options.onCommand);
    fresh.on('connectionCheckedIn', () => (progressAt = Date.now()));
    await fresh.connect();
    return fresh;
  };
  let progressAt = Date.now();
  let client = await connect();
  const healthClient = new MongoClient(uri, healthClientOptions);
  await healthClient.connect();
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
  await migrate(db, options.logger);
  await ensureIndexes(db);
  return {
    db,
    healthDb: healthClient.db(dbName),
    lastProgressAt: () => progressAt,
    async replaceClient() {
      const fresh = await connect();
      const old = client;
      client = fresh;
      await old.close(true).catch(() => {});
    },
    close: async () => {
      await Promise.all([client.close(), healthClient.close()]);
    },
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
    // History pages, seq allocation and the room's newest messages (see docs/architecture.md).
    db.collection('messages').createIndex({ roomId: 1, seq: 1 }, { unique: true, name: 'room_seq' }),
    db.collection('messages').createIndex({ authorId: 1, clientId: 1 }, { unique: true, name: 'send_idempotency' }),
    db.collection('readMarkers').createIndex({ userId: 1 }, { name: 'read_markers_by_user' }),
    // The room list's unread mentions, and removing a user's read ones in a room.
    db.collection('mentions').createIndex({ userId: 1, roomId: 1, seq: 1 }, { name: 'mentions_by_user' }),
  ]);
}

/** MongoDB's duplicate-key error, raised by unique indexes (FerretDB raises the same code). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
