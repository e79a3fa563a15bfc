// Brings a database written by an older Parley up to the current schema, once, at
// start-up, before the indexes that depend on it are created. Several processes may
// start together: one claims the migration (an insert into a unique _id, the one
// primitive that is atomic on FerretDB too) and the others wait for it to finish.
import { ObjectId, type AnyBulkWriteOperation, type Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { MessageDoc } from './messages.js';
import { isDuplicateKeyError } from './database.js';

export const SCHEMA_VERSION = 2;
const BATCH = 1_000;
const WAIT_FOR_OTHER_MS = 10 * 60_000;

interface MetaDoc {
  _id: string;
  version?: number;
  at?: Date;
}

export async function migrate(db: Db, logger?: Logger): Promise<void> {
  const meta = db.collection<MetaDoc>('schemaMeta');
  if (((await meta.findOne({ _id: 'schema' }))?.version ?? 1) >= SCHEMA_VERSION) return;
  const claim = `migrating-to-${SCHEMA_VERSION}`;
  try {
    await meta.insertOne({ _id: claim, at: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await waitForOtherProcess(db);
    return;
  }
  try {
    const started = performance.now();
    const counts = await toVersion2(db);
    await meta.updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION } }, { upsert: true });
    if (counts.messages > 0)
      logger?.info({ ...counts, ms: Math.round(performance.now() - started) }, 'migrated the database to schema 2 (message seq, room heads)');
  } finally {
    await meta.deleteOne({ _id: claim });
  }
}

async function waitForOtherProcess(db: Db): Promise<void> {
  const meta = db.collection<MetaDoc>('schemaMeta');
  const until = Date.now() + WAIT_FOR_OTHER_MS;
  while (Date.now() < until) {
    if (((await meta.findOne({ _id: 'schema' }))?.version ?? 1) >= SCHEMA_VERSION) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('another process has been migrating the database for 10 minutes; remove the schemaMeta claim if it died');
}

/**
 * Schema 2: every message gets its room's seq (in id order, which was the display
 * order), every room with messages a head, and read markers point at a seq instead of
 * a message id.
 */
async function toVersion2(db: Db): Promise<{ messages: number; rooms: number; markers: number }> {
  const messages = db.collection<MessageDoc>('messages');
  const markers = db.collection<{ _id: string; lastReadId?: ObjectId; lastReadSeq?: number }>('readMarkers');
  const oldMarkers = await markers.find({ lastReadId: { $exists: true } }).toArray();
  const wanted = new Set(oldMarkers.map((m) => m.lastReadId!.toHexString()));
  const seqOfWanted = new Map<string, number>();

  const lastByRoom = new Map<string, MessageDoc>();
  let batch: AnyBulkWriteOperation<MessageDoc>[] = [];
  let count = 0;
  const cursor = messages.find({ seq: { $exists: false } }).sort({ roomId: 1, _id: 1 });
  for await (const doc of cursor) {
    const roomId = doc.roomId.toHexString();
    const seq = (lastByRoom.get(roomId)?.seq ?? 0) + 1;
    lastByRoom.set(roomId, { ...doc, seq });
    if (wanted.has(doc._id.toHexString())) seqOfWanted.set(doc._id.toHexString(), seq);
    batch.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { seq } } } });
    count++;
    if (batch.length >= BATCH) {
      await messages.bulkWrite(batch, { ordered: false });
      batch = [];
    }
  }
  if (batch.length > 0) await messages.bulkWrite(batch, { ordered: false });

  const heads = db.collection<{ _id: ObjectId; lastSeq: number; lastMessage: MessageDoc }>('roomHeads');
  for (const [roomId, last] of lastByRoom) {
    await heads.updateOne({ _id: new ObjectId(roomId) }, { $set: { lastSeq: last.seq, lastMessage: last } }, { upsert: true });
  }
  for (const marker of oldMarkers) {
    const seq = seqOfWanted.get(marker.lastReadId!.toHexString()) ?? 0;
    await markers.updateOne({ _id: marker._id }, { $set: { lastReadSeq: seq }, $unset: { lastReadId: '' } });
  }
  // The (roomId, _id) history index is replaced by the unique (roomId, seq) one.
  await messages.dropIndex('history').catch(() => {});
  return { messages: count, rooms: lastByRoom.size, markers: oldMarkers.length };
}
