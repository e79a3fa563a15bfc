// `npm run db`: the local development database alone (server/infra/localDatabase.ts) on
// port 27017 (DB_PORT to change), data in .data/ (DATA_DIR); prints its URI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalDatabase } from '../server/infra/localDatabase.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.DB_PORT ?? 27017);
const db = await startLocalDatabase({ dataDir: process.env.DATA_DIR ?? path.join(root, '.data'), port });
console.log(`Local database (${db.engine}) at ${db.uri}; Ctrl+C stops it.`);
const stop = () => void db.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
