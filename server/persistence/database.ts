// The only place that opens MongoDB. One MongoClient per process, shared by every
// repository; indexes are declared here and created idempotently at start-up.
import { MongoClient, type Db } from 'mongodb';

export interface Database {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
  const client = new MongoClient(uri, {
    // An acknowledged write must survive a primary failover on a replica set;
    // on a standalone server (or FerretDB) majority is simply the one node.
    writeConcern: { w: 'majority' },
    serverSelectionTimeoutMS: 10_000,
    appName: 'parley-server',
  });
  await client.connect();
  const db = client.db(dbName);
  await ensureIndexes(db);
  return { client, db, close: () => client.close() };
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
