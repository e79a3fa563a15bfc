// One test file's deployment: its own database and Redis, and backend processes
// sharing both, each on its own loopback port. `stop()` kills whatever is still
// running and removes the scratch folder unless something failed (logs are kept then).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { scratchDir, spawnBackend, startDatabase, startRedis, type Backend, type RedisServer, type TestDatabase } from './processes.js';

export interface ClusterOptions {
  label: string;
  /** Instance ids of the backend processes to start. */
  backends: string[];
  livenessMs: number;
  shutdownGraceMs?: number;
  /** More environment for every backend (e.g. raised limits for a test that sends in bursts). */
  env?: Record<string, string>;
}

export interface Cluster {
  database: TestDatabase;
  /** The database name every backend of this cluster uses. */
  mongodbDb: string;
  redis: RedisServer;
  backends: Record<string, Backend>;
  urls: string[];
  dir: string;
  /** Starts one more backend with the same settings. */
  spawn(name: string): Promise<Backend>;
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const scratch = scratchDir(options.label);
  const [database, redis] = await Promise.all([startDatabase(path.join(scratch.dir, 'db')), startRedis()]);
  const mongodbDb = `faults_${randomBytes(4).toString('hex')}`;
  const all: Backend[] = [];
  const spawn = async (name: string) => {
    const backend = await spawnBackend({
      name,
      mongodbUri: database.uri,
      mongodbDb,
      redisUrl: redis.url,
      livenessMs: options.livenessMs,
      shutdownGraceMs: options.shutdownGraceMs,
      logDir: path.join(scratch.dir, 'logs'),
      ...(options.env ? { env: options.env } : {}),
    });
    all.push(backend);
    return backend;
  };
  let backends: Backend[];
  try {
    backends = await Promise.all(options.backends.map(spawn));
  } catch (error) {
    await Promise.allSettled([...all.map((b) => b.kill()), redis.stop(), database.stop()]);
    throw error;
  }
  return {
    database,
    mongodbDb,
    redis,
    backends: Object.fromEntries(backends.map((b) => [b.name, b])),
    urls: backends.map((b) => b.url),
    dir: scratch.dir,
    spawn,
    async stop({ keepLogs = false } = {}) {
      await Promise.allSettled(all.map((b) => b.kill()));
      await Promise.allSettled([redis.stop(), database.stop()]);
      if (keepLogs) console.log(`[faults] ${options.label}: logs kept in ${path.join(scratch.dir, 'logs')}`);
      else scratch.remove();
    },
  };
}
