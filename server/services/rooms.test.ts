// RoomService on in-memory fakes: what it commits, what it announces and in which
// order, and that a committed change is answered as success whatever follows it.
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { RoomCleaner } from './roomCleaner.js';
import { RoomService } from './rooms.js';
import {
  FakeCleanupStore,
  FakeHeads,
  FakeReadMarkers,
  FakeRoomStore,
  FakeUserStore,
  ImmediateChanges,
  RecordingEvents,
  recordingLogger,
} from './testing/fakes.js';

const ann = { id: 'a'.repeat(24), username: 'ann', email: 'ann@example.test', passwordHash: '' };
const bob = { id: 'b'.repeat(24), username: 'bob', email: 'bob@example.test', passwordHash: '' };

function setup(options: { failCleanup?: number } = {}) {
  const rooms = new FakeRoomStore();
  const events = new RecordingEvents();
  const changes = new ImmediateChanges();
  const cleanups = new FakeCleanupStore();
  const logger = recordingLogger();
  const deleted: string[] = [];
  let failuresLeft = options.failCleanup ?? 0;
  const cleaner = new RoomCleaner(
    {
      cleanups,
      rooms,
      messages: {
        deleteForRoom: async (roomId) => {
          if (failuresLeft-- > 0) throw new Error('database hiccup');
          deleted.push(`messages ${roomId}`);
        },
      },
      readMarkers: {
        deleteForRoom: async (roomId) => void deleted.push(`markers ${roomId}`),
        deleteFor: async (roomId, userId) => void deleted.push(`marker ${roomId}:${userId}`),
      },
      heads: { delete: async (roomId) => void deleted.push(`head ${roomId}`) },
      forgetRoom: async () => {},
      logger,
    },
    { retryDelaysMs: [1, 1, 1], settleMs: 1 },
  );
  const service = new RoomService({
    rooms,
    cache: { get: (roomId) => rooms.findById(roomId) },
    users: new FakeUserStore([ann, bob]),
    heads: new FakeHeads(),
    readMarkers: new FakeReadMarkers(),
    mentions: { forUser: async () => [], removeRead: async () => {} },
    cleaner,
    events,
    changes,
    logger,
  });
  return { service, rooms, events, changes, cleanups, deleted, logger };
}

async function roomOfAnnAndBob(service: RoomService) {
  const summary = await service.create(ann.id, ann.username, 'General');
  await service.addMember(summary.id, ann.id, bob.username);
  return summary.id;
}

describe('RoomService', () => {
  it('lists the rooms of a member only, most recently active first', async () => {
    const { service } = setup();
    const first = await service.create(ann.id, ann.username, 'B room');
    const second = await service.create(ann.id, ann.username, 'A room');
    expect((await service.list(ann.id)).map((r) => r.id)).toEqual([second.id, first.id]);
    expect(await service.list(bob.id)).toEqual([]);
  });

  it('announces an added member to them and to the room, once the change is written', async () => {
    const { service, events, changes } = setup();
    const roomId = await roomOfAnnAndBob(service);
    expect(changes.changed).toEqual([roomId]);
    expect(events.log).toEqual([`room:added ${roomId} ${bob.id}`, `room:updated ${roomId} v2`]);
  });

  it('keeps the last admin: demoting them is refused and nothing is written or announced', async () => {
    const { service, events, rooms } = setup();
    const roomId = await roomOfAnnAndBob(service);
    events.log.length = 0;
    await expect(service.setRole(roomId, ann.id, ann.id, 'member')).rejects.toMatchObject({ code: 'last_admin' });
    expect(events.log).toEqual([]);
    expect((await rooms.findById(roomId))?.version).toBe(2);
  });

  it('answers a committed removal as success although announcing it fails, and still cleans up', async () => {
    const { service, events, deleted, cleanups, logger } = setup();
    const roomId = await roomOfAnnAndBob(service);
    events.failRemovals = true;
    await expect(service.removeMember(roomId, ann.id, bob.id)).resolves.toBeUndefined();
    expect(events.log.at(-1)).toBe(`room:updated ${roomId} v3`);
    expect(deleted).toEqual([`marker ${roomId}:${bob.id}`]);
    await expect.poll(() => cleanups.notes.size).toBe(0);
    expect(logger.warnings).toContain('could not announce room:removed for a committed change');
  });

  it('deletes: announces to every member, then removes the history; a failing cleanup is retried, not answered', async () => {
    const { service, events, deleted, cleanups } = setup({ failCleanup: 2 });
    const roomId = await roomOfAnnAndBob(service);
    await expect(service.delete(roomId, ann.id)).resolves.toBeUndefined();
    expect(events.log.at(-1)).toBe(`room:removed ${roomId} deleted ${ann.id},${bob.id}`);
    await expect.poll(() => deleted).toContain(`messages ${roomId}`);
    await expect.poll(() => cleanups.notes.size).toBe(0);
  });

  it('refuses a delete by a plain member with forbidden, and by a stranger with room_not_found', async () => {
    const { service } = setup();
    const roomId = await roomOfAnnAndBob(service);
    await expect(service.delete(roomId, bob.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.delete(roomId, 'c'.repeat(24))).rejects.toBeInstanceOf(AppError);
  });
});
