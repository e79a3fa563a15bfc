import { ObjectId, type Collection, type Db } from 'mongodb';

/** A session is keyed by the SHA-256 of its token: the token itself is never stored. */
interface SessionDoc {
  _id: string;
  userId: ObjectId;
  createdAt: Date;
  expiresAt: Date;
}

export interface StoredSession {
  tokenHash: string;
  userId: string;
  expiresAt: Date;
}

export class SessionRepository {
  constructor(private readonly db: Db) {}

  private get sessions(): Collection<SessionDoc> {
    return this.db.collection<SessionDoc>('sessions');
  }

  async create(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
    await this.sessions.insertOne({ _id: tokenHash, userId: new ObjectId(userId), createdAt: new Date(), expiresAt });
  }

  async findActive(tokenHash: string, now: Date): Promise<StoredSession | null> {
    const doc = await this.sessions.findOne({ _id: tokenHash });
    if (!doc || doc.expiresAt <= now) return null;
    return { tokenHash: doc._id, userId: doc.userId.toHexString(), expiresAt: doc.expiresAt };
  }

  async delete(tokenHash: string): Promise<boolean> {
    return (await this.sessions.deleteOne({ _id: tokenHash })).deletedCount === 1;
  }

  /** FerretDB has no TTL indexes, so expired sessions are swept by the server instead. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.sessions.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }
}
