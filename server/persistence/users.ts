import { ObjectId, type Collection, type Db } from 'mongodb';
import { isDuplicateKeyError } from './database.js';

interface UserDoc {
  _id: ObjectId;
  username: string;
  usernameLower: string;
  email: string;
  emailLower: string;
  passwordHash: string;
  createdAt: Date;
}

export interface User {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
}

const toUser = (d: UserDoc): User => ({ id: d._id.toHexString(), username: d.username, email: d.email, passwordHash: d.passwordHash });

export type NewUserResult = { ok: true; user: User } | { ok: false; conflict: 'username' | 'email' };

export class UserRepository {
  constructor(private readonly db: Db) {}

  private get users(): Collection<UserDoc> {
    return this.db.collection<UserDoc>('users');
  }

  /** Inserts a user; the unique indexes decide conflicts, so two racing registrations cannot both win. */
  async create(input: { username: string; email: string; passwordHash: string }): Promise<NewUserResult> {
    const doc: UserDoc = {
      _id: new ObjectId(),
      username: input.username,
      usernameLower: input.username.toLowerCase(),
      email: input.email,
      emailLower: input.email.toLowerCase(),
      passwordHash: input.passwordHash,
      createdAt: new Date(),
    };
    try {
      await this.users.insertOne(doc);
      return { ok: true, user: toUser(doc) };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const conflict = await this.conflictFor(input.username, input.email);
      return { ok: false, conflict: conflict ?? 'username' };
    }
  }

  async conflictFor(username: string, email: string): Promise<'username' | 'email' | null> {
    if (await this.users.countDocuments({ usernameLower: username.toLowerCase() }, { limit: 1 })) return 'username';
    if (await this.users.countDocuments({ emailLower: email.toLowerCase() }, { limit: 1 })) return 'email';
    return null;
  }

  async findByLogin(login: string): Promise<User | null> {
    const key = login.toLowerCase();
    const doc = await this.users.findOne(key.includes('@') ? { emailLower: key } : { usernameLower: key });
    return doc && toUser(doc);
  }

  async findByUsername(username: string): Promise<User | null> {
    const doc = await this.users.findOne({ usernameLower: username.toLowerCase() });
    return doc && toUser(doc);
  }

  async findById(id: string): Promise<User | null> {
    if (!ObjectId.isValid(id)) return null;
    const doc = await this.users.findOne({ _id: new ObjectId(id) });
    return doc && toUser(doc);
  }
}
