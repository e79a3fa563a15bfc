// Version claims with a slow writer: a writer that stalls between claiming a room's next
// version and writing it past the stale limit has its claim taken over by another
// writer (another process: its own repository, so no in-process queue between them).
// The slow writer must then not write at all: exactly one writer per version.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { newRoom, rename } from '../../server/domain/membership.js';
import { connectDatabase, type Database } from '../../server/persistence/database.js';
import { RoomRepository } from '../../server/persistence/rooms.js';

/** Long enough that a writer under load (two busy cores) stays well inside half of it between claiming and writing. */
const STALE_MS = 1_000;
let database: Database;
beforeAll(async () => {
  database = await connectDatabase(inject('mongodbUri'), `test_${randomBytes(6).toString('hex')}`);
});
afterAll(async () => {
  await database.db.dropDatabase().catch(() => {});
  await database.close();
});

/** A gate the slow writer waits at after claiming, until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let reached!: () => void;
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  return { open, arrived, wait: () => (reached(), opened) };
}

describe('version claims', () => {
  it('a writer whose claim was taken over while it stalled does not write; the one that took it over does', async () => {
    for (let round = 0; round < 3; round++) {
      const ownerId = randomBytes(12).toString('hex');
      const room = newRoom(RoomRepository.newId(), `room ${round}`, { userId: ownerId, username: 'owner' }, new Date());
      const slowGate = gate();
      const fastGate = gate();
      const slow = new RoomRepository(database.db, { staleClaimMs: STALE_MS, afterClaim: () => slowGate.wait() });
      const fast = new RoomRepository(database.db, { staleClaimMs: STALE_MS, afterClaim: () => fastGate.wait() });
      await slow.insert(room);

      // The slow writer claims version 2, then stalls past the stale limit.
      const slowWrite = slow.compareAndSet(rename(room, ownerId, 'slow'), room.version);
      await slowGate.arrived;
      await new Promise((resolve) => setTimeout(resolve, STALE_MS * 2));
      // Another writer finds the stale claim and takes it over (its first try only clears it).
      let fastWrite: Promise<boolean> | undefined;
      for (let attempt = 0; attempt < 5 && !fastWrite; attempt++) {
        const attemptWrite = fast.compareAndSet(rename(room, ownerId, 'fast'), room.version);
        const outcome = await Promise.race([attemptWrite.then((won) => ({ won })), fastGate.arrived.then(() => 'claimed' as const)]);
        if (outcome === 'claimed') fastWrite = attemptWrite;
        else expect(outcome.won).toBe(false);
      }
      expect(fastWrite).toBeDefined();

      // The slow writer wakes while the other holds the claim and has not written yet.
      slowGate.open();
      expect(await slowWrite).toBe(false);
      fastGate.open();
      expect(await fastWrite).toBe(true);

      const stored = await slow.findById(room.id);
      expect({ name: stored?.name, version: stored?.version }).toEqual({ name: 'fast', version: room.version + 1 });
    }
  });

  it('a writer that stalls longer than half the stale limit gives up even when nobody took its claim', async () => {
    const ownerId = randomBytes(12).toString('hex');
    const room = newRoom(RoomRepository.newId(), 'lonely', { userId: ownerId, username: 'owner' }, new Date());
    const slow = new RoomRepository(database.db, { staleClaimMs: STALE_MS, afterClaim: () => new Promise((resolve) => setTimeout(resolve, STALE_MS)) });
    await slow.insert(room);
    expect(await slow.compareAndSet(rename(room, ownerId, 'late'), room.version)).toBe(false);
    // Its claim is gone, so the next writer proceeds at once.
    const next = new RoomRepository(database.db);
    expect(await next.compareAndSet(rename(room, ownerId, 'on time'), room.version)).toBe(true);
    expect((await next.findById(room.id))?.name).toBe('on time');
  });
});
