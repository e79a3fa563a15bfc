// Entry point of `npm run server`: reads the environment, starts the local development
// database only when asked (LOCAL_DB=1 and no MONGODB_URI; never in production),
// connects Redis when REDIS_URL is set, serves until SIGINT/SIGTERM, then shuts down
// gracefully.
import path from 'node:path';
import { createServer } from './createServer.js';
import { loadConfig, type Config } from './config.js';
import type { LocalDatabase } from './infra/localDatabase.js';
import { connectRedis, type RedisClients } from './infra/redis.js';
import { createLogger } from './logger.js';
import { connectDatabase } from './persistence/database.js';
import { createRepositories } from './persistence/repositories.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // Before the logger exists: one plain line that names the variable to fix.
  console.error(`Parley cannot start. ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const logger = createLogger(config.logLevel).child({ instance: config.instanceId });

let localDb: LocalDatabase | undefined;
let uri = config.mongodbUri;
if (!uri) {
  // loadConfig allows this only with LOCAL_DB=1 outside production. Loaded lazily: a
  // deployment never touches the development database launcher.
  const { startLocalDatabase } = await import('./infra/localDatabase.js');
  localDb = await startLocalDatabase({ dataDir: config.dataDir, port: 0 });
  uri = localDb.uri;
  logger.info({ engine: localDb.engine, dataDir: path.resolve(config.dataDir) }, 'local database started');
}

const database = await connectDatabase(uri, config.mongodbDb);
let redis: RedisClients | undefined;
if (config.redisUrl) {
  redis = await connectRedis(config.redisUrl, logger);
  logger.info('redis connected: running as one of several processes');
}
const app = createServer({
  db: database.db,
  repositories: createRepositories(database.db, { severalProcesses: Boolean(redis) }),
  logger,
  sessionTtlMs: config.sessionTtlMs,
  corsOrigins: config.corsOrigins,
  trustProxy: config.trustProxy,
  rateLimits: config.authRateLimits,
  redis,
  instanceId: config.instanceId,
  livenessTtlMs: config.livenessTtlMs,
  databaseRevival: database,
  limits: config.limits,
  maxDatabaseWork: config.maxDatabaseWork,
});
const address = await app.listen(config.port, config.host);
logger.info({ url: `http://${address.address}:${address.port}` }, 'parley server listening');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close(config.shutdownGraceMs);
  await redis?.close();
  await database.close();
  await localDb?.stop();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
