// RoomCleaner on fakes: a committed change's follow-up is retried until it succeeds, and
// the sweep finishes what is needed while leaving notes of changes that never committed.
import { describe, expect, it } from 'vitest';
import { newRoom } from '../domain/membership.js';
import { RoomCleaner } from './roomCleaner.js';
import { FakeCleanupStore, FakeRoomStore, recordingLogger } from './testing/fakes.js';

function setup(failures: number, retryDelaysMs: number[], settleMs = 1) {
  const rooms = new FakeRoomStore();
  const cleanups = new FakeCleanupStore();
  const done: string[] = [];
  let left = failures;
  const cleaner = new RoomCleaner(
    {
      cleanups,
      rooms,
      messages: {
        deleteForRoom: async (roomId) => {
          if (left-- > 0) throw new Error('down');
          done.push(`messages ${roomId}`);
        },
      },
      readMarkers: { deleteForRoom: async () => {}, deleteFor: async (roomId, userId) => void done.push(`marker ${roomId}:${userId}`) },
      heads: { delete: async () => {} },
      forgetRoom: async () => {},
      logger: recordingLogger(),
    },
    { retryDelaysMs, settleMs },
  );
  return { cleaner, rooms, cleanups, done };
}

describe('RoomCleaner', () => {
  it('retries a failed cleanup after each pause until it succeeds, then drops its note', async () => {
    const { cleaner, cleanups, done } = setup(2, [1, 1, 1]);
    const cleanup = { kind: 'room-deleted', roomId: 'r1' } as const;
    await cleaner.record(cleanup);
    await cleaner.run(cleanup);
    expect(done).toEqual([]);
    await expect.poll(() => done).toContain('messages r1');
    // The second pass runs after the settle time and drops the note.
    await expect.poll(() => cleanups.notes.size).toBe(0);
    expect(done).toEqual(['messages r1', 'messages r1']);
  });

  it('leaves the note for the sweep once its retries ran out; the sweep finishes it', async () => {
    const { cleaner, cleanups, done } = setup(1, [], 0);
    const cleanup = { kind: 'room-deleted', roomId: 'r1' } as const;
    await cleaner.record(cleanup);
    await cleaner.run(cleanup);
    expect(cleanups.notes.size).toBe(1);
    await cleaner.sweep();
    expect(done).toEqual(['messages r1']);
    expect(cleanups.notes.size).toBe(0);
  });

  it('does not remove what a change that never committed still uses: the room exists, the member is one', async () => {
    const { cleaner, rooms, cleanups, done } = setup(0, [], 0);
    const room = newRoom('r1', 'Kept', { userId: 'u1', username: 'ann' }, new Date());
    await rooms.insert(room);
    await cleaner.record({ kind: 'room-deleted', roomId: 'r1' });
    await cleaner.record({ kind: 'member-removed', roomId: 'r1', userId: 'u1' });
    await cleaner.sweep();
    expect(done).toEqual([]);
    expect(cleanups.notes.size).toBe(2);
    // Long after, such notes are dropped as abandoned.
    await cleaner.sweep(new Date(Date.now() + 60 * 60_000));
    expect(cleanups.notes.size).toBe(0);
    expect(done).toEqual([]);
  });
});
