// The health check under load: the shared client is saturated (one connection, a queue
// of slow reads in front of every new operation, so its own ping waits for seconds), yet
// the database is answering. The health check pings over its own client, sees the
// shared one still finishing work, and neither declares the database down nor replaces
// the client (which would kill the queued operations). Real database, real clients.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DependencyHealth, type HealthSnapshot } from '../../../server/infra/dependencyHealth.js';
import { createLogger } from '../../../server/logger.js';
import { connectDatabase, type Database } from '../../../server/persistence/database.js';

/** Longer than the 6 s after which a stuck client would be replaced. */
const LOAD_MS = 7500;
/** The old health check gave up on a ping after this long. */
const OLD_PING_LIMIT_MS = 1500;

let database: Database;
beforeAll(async () => {
  // One connection in the shared pool, so a few slow reads make a queue.
  const uri = new URL(inject('mongodbUri'));
  uri.searchParams.set('maxPoolSize', '1');
  database = await connectDatabase(uri.toString(), `health_${Date.now()}`);
  await database.db.collection('load').insertMany(Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x'.repeat(100) })));
});
afterAll(async () => {
  await database?.db.dropDatabase().catch(() => {});
  await database?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a saturated shared client', () => {
  it('is busy, not down: health stays up, writes stay allowed, the client is not replaced', { timeout: 30_000 }, async () => {
    let replaced = 0;
    const health = new DependencyHealth(database.db, undefined, createLogger('silent'), {
      healthDb: database.healthDb,
      lastProgressAt: () => database.lastProgressAt(),
      replaceClient: async () => {
        replaced++;
        await database.replaceClient();
      },
    });

    // Keep 150 full scans queued on the one connection for LOAD_MS.
    let loading = true;
    let reads = 0;
    const readers = Array.from({ length: 150 }, async () => {
      while (loading) {
        // A full scan answered in one batch (no cursor left open between commands).
        await database.db.collection('load').findOne({ text: 'no such text' });
        reads++;
      }
    });

    const snapshots: HealthSnapshot[] = [];
    const writable: boolean[] = [];
    const sharedPings: Array<Promise<number>> = [];
    const started = performance.now();
    try {
      while (performance.now() - started < LOAD_MS) {
        const pingStarted = performance.now();
        sharedPings.push(database.db.command({ ping: 1 }).then(() => performance.now() - pingStarted));
        snapshots.push(await health.check());
        writable.push(health.writable());
        await sleep(500);
      }
    } finally {
      loading = false;
      await Promise.all(readers);
    }
    const sharedPingMs = await Promise.all(sharedPings);

    console.log(`[health] reads=${reads} sharedPingMs=${JSON.stringify(sharedPingMs.map(Math.round))} checks=${snapshots.length}`);
    // The load was real: a ping over the shared client waited longer than the old limit.
    expect(Math.max(...sharedPingMs)).toBeGreaterThan(OLD_PING_LIMIT_MS);
    expect(snapshots.every((s) => s.database === 'up')).toBe(true);
    expect(writable.every(Boolean)).toBe(true);
    expect(replaced).toBe(0);
  });
});
