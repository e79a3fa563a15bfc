// The repositories one backend process uses, over one database handle. createServer
// takes them as they are (its ports), so a test can hand it one that fails on purpose.
import type { Db } from 'mongodb';
import { MentionRepository } from './mentions.js';
import { MessageRepository } from './messages.js';
import { ReadMarkerRepository } from './readMarkers.js';
import { RoomCleanupRepository } from './roomCleanups.js';
import { RoomHeadRepository } from './roomHeads.js';
import { RoomRepository } from './rooms.js';
import { SessionRepository } from './sessions.js';
import { UserRepository } from './users.js';

export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  rooms: RoomRepository;
  messages: MessageRepository;
  readMarkers: ReadMarkerRepository;
  /** Unread @mentions per user. */
  mentions: MentionRepository;
  heads: RoomHeadRepository;
  cleanups: RoomCleanupRepository;
}

export interface RepositoryOptions {
  /** Whether other processes write to the same database (with Redis). */
  severalProcesses: boolean;
  /** How often one read marker may be written (tests shorten it). */
  readMarkerIntervalMs?: number | undefined;
}

export function createRepositories(db: Db, options: RepositoryOptions): Repositories {
  return {
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    rooms: new RoomRepository(db),
    messages: new MessageRepository(db),
    readMarkers: new ReadMarkerRepository(db, options.readMarkerIntervalMs),
    mentions: new MentionRepository(db),
    heads: new RoomHeadRepository(db, options.severalProcesses),
    cleanups: new RoomCleanupRepository(db),
  };
}
