// Entry point of `npm run server`: reads the environment, starts the local development
// database only when asked (LOCAL_DB=1 and no MONGODB_URI; never in production),
// connects Redis when REDIS_URL is set, serves until SIGINT/SIGTERM, then shuts down
// gracefully.
import path from 'node:path';
import { loadConfig, type Config } from './config.js';
import type { LocalDatabase } from './infra/localDatabase.js';
import type { RedisClients } from './infra/redis.js';
import { createLogger } from './logger.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // Before the logger exists: one plain line that names the variable to fix.
  console.error(`Parley cannot start. ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const logger = createLogger(config.logLevel).child({ instance: config.instanceId });
// The rest of the backend is loaded only once the configuration is known to be good, so a
// bad environment is refused at once rather than after compiling the whole server.
const [{ createServer }, { connectRedis }, { connectDatabase }, { createRepositories }] = await Promise.all([
  import('./createServer.js'),
  import('./infra/redis.js'),
  import('./persistence/database.js'),
  import('./persistence/repositories.js'),
]);

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
