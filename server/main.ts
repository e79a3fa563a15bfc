// Entry point of `npm run server`: reads the environment, starts the local database
// when no MONGODB_URI is given, serves until SIGINT/SIGTERM, then shuts down cleanly.
import path from 'node:path';
import { startLocalDatabase, type LocalDatabase } from '../scripts/local-db.js';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { connectDatabase } from './persistence/database.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

let localDb: LocalDatabase | undefined;
let uri = config.mongodbUri;
if (!uri) {
  localDb = await startLocalDatabase({ dataDir: config.dataDir, port: 0 });
  uri = localDb.uri;
  logger.info({ engine: localDb.engine, dataDir: path.resolve(config.dataDir) }, 'local database started');
}

const database = await connectDatabase(uri, config.mongodbDb);
const app = createApp({
  db: database.db,
  logger,
  sessionTtlMs: config.sessionTtlMs,
  corsOrigins: config.corsOrigins,
  trustProxy: config.trustProxy,
});
const address = await app.listen(config.port, config.host);
logger.info({ url: `http://${address.address}:${address.port}` }, 'parley server listening');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close();
  await database.close();
  await localDb?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
