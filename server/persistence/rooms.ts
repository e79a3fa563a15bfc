import { randomUUID } from 'node:crypto';
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Role } from '../../src/shared/contract.js';
import type { Room } from '../domain/membership.js';
import { isDuplicateKeyError } from './database.js';
import { KeyedLock } from './keyedLock.js';

interface MemberDoc {
  userId: ObjectId;
  username: string;
  role: Role;
  joinedAt: Date;
}

interface RoomDoc {
  _id: ObjectId;
  name: string;
  members: MemberDoc[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** "Room <roomId> is being moved to version <n>": at most one writer holds it. */
interface VersionClaimDoc {
  _id: string;
  /** Which writer holds it: a claim is taken over only by deleting exactly that holder's. */
  holder: string;
  claimedAt: Date;
}

const toRoom = (d: RoomDoc): Room => ({
  id: d._id.toHexString(),
  name: d.name,
  version: d.version,
  createdAt: d.createdAt,
  members: d.members.map((m) => ({ userId: m.userId.toHexString(), username: m.username, role: m.role, joinedAt: m.joinedAt })),
});

const toMemberDocs = (room: Room): MemberDoc[] =>
  room.members.map((m) => ({ userId: new ObjectId(m.userId), username: m.username, role: m.role, joinedAt: m.joinedAt }));

/** A claim older than this belongs to a writer that died between claiming and writing. */
const STALE_CLAIM_MS = 10_000;

export interface RoomRepositoryOptions {
  /** When another writer may take a claim over (tests shorten it). */
  staleClaimMs?: number;
  /** Runs between taking a claim and writing: lets a test stand for a writer that stalls there. */
  afterClaim?: (claimId: string) => Promise<void>;
}

/**
 * Rooms and their members. Every change after creation is a compare-and-set on
 * `version`, serialised by a version claim.
 *
 * Why claims: MongoDB applies `updateOne({_id, version})` atomically, but FerretDB 1.x
 * (the local database) reads the document, updates it in memory and writes it back
 * without isolation, so two writers can both "win" a plain compare-and-set. Inserting
 * `{_id: "<roomId>:<next version>"}` into a collection is atomic on both, because the
 * `_id` unique index decides: exactly one writer per version proceeds, in any number
 * of processes. The room document has no other writer (the last message is read from
 * the history, not stored here), so the winner's write cannot be lost.
 */
export class RoomRepository {
  /** Queues this process's writers per room so they rarely collide on a claim. */
  private readonly local = new KeyedLock();

  private readonly staleClaimMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: RoomRepositoryOptions = {},
  ) {
    this.staleClaimMs = options.staleClaimMs ?? STALE_CLAIM_MS;
  }

  private get rooms(): Collection<RoomDoc> {
    return this.db.collection<RoomDoc>('rooms');
  }

  private get claims(): Collection<VersionClaimDoc> {
    return this.db.collection<VersionClaimDoc>('roomVersionClaims');
  }

  static newId(): string {
    return new ObjectId().toHexString();
  }

  async insert(room: Room): Promise<void> {
    await this.rooms.insertOne({
      _id: new ObjectId(room.id),
      name: room.name,
      members: toMemberDocs(room),
      version: room.version,
      createdAt: room.createdAt,
      updatedAt: room.createdAt,
    });
  }

  async findById(id: string): Promise<Room | null> {
    if (!ObjectId.isValid(id)) return null;
    const doc = await this.rooms.findOne({ _id: new ObjectId(id) });
    return doc && toRoom(doc);
  }

  async listForUser(userId: string): Promise<Room[]> {
    const docs = await this.rooms.find({ 'members.userId': new ObjectId(userId) }).toArray();
    return docs.map(toRoom);
  }

  /** Stores `next` only if the room is still at `expectedVersion`; false if someone else changed it first. */
  compareAndSet(next: Room, expectedVersion: number): Promise<boolean> {
    return this.withClaim(next.id, expectedVersion, async () => {
      const result = await this.rooms.updateOne(
        { _id: new ObjectId(next.id), version: expectedVersion },
        { $set: { name: next.name, members: toMemberDocs(next), version: expectedVersion + 1, updatedAt: new Date() } },
      );
      return result.modifiedCount === 1;
    });
  }

  /** Deletes the room only if it is still at `expectedVersion` (a concurrent demotion wins over a stale delete). */
  deleteIfUnchanged(id: string, expectedVersion: number): Promise<boolean> {
    return this.withClaim(id, expectedVersion, async () => {
      const result = await this.rooms.deleteOne({ _id: new ObjectId(id), version: expectedVersion });
      return result.deletedCount === 1;
    });
  }

  /**
   * Runs `write` holding the claim on the room's next version. A writer slower than the
   * stale limit can have its claim taken over; so right before writing it checks that its
   * claim still stands and is young enough that nobody may take it over before the write
   * lands (half the stale limit), and gives up (as a lost race) otherwise. Takeovers
   * delete only the stale holder's claim, so a writer's check sees its own claim or none.
   */
  private withClaim(roomId: string, expectedVersion: number, write: () => Promise<boolean>): Promise<boolean> {
    return this.local.run(roomId, async () => {
      const claimId = `${roomId}:${expectedVersion + 1}`;
      const holder = randomUUID();
      const claimed = performance.now();
      try {
        await this.claims.insertOne({ _id: claimId, holder, claimedAt: new Date() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Someone else is writing this version; take their claim away only if they died holding it.
        const stale = await this.claims.findOne({ _id: claimId, claimedAt: { $lt: new Date(Date.now() - this.staleClaimMs) } });
        if (stale) await this.claims.deleteOne({ _id: claimId, holder: stale.holder });
        return false;
      }
      let mine = true;
      try {
        await this.options.afterClaim?.(claimId);
        const stillMine = await this.claims.findOne({ _id: claimId, holder });
        if (!stillMine || performance.now() - claimed > this.staleClaimMs / 2) {
          mine = stillMine !== null;
          return false;
        }
        return await write();
      } finally {
        // Once the room is past this version the claim is useless, and a writer that
        // read the old version will fail the version filter anyway. Never another's.
        if (mine) await this.claims.deleteOne({ _id: claimId, holder }).catch(() => {});
      }
    });
  }
}
