// Starts the local MongoDB-protocol database for development: a real `mongod` if one is
// on PATH, otherwise FerretDB with its SQLite handler, its files under the given data
// folder. The backend loads this only with LOCAL_DB=1 and no MONGODB_URI (`npm start`,
// `npm run server`); the tests, benchmarks and `npm run db` (scripts/local-db.ts) start
// it themselves. Never used in production (server/config.ts refuses).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { freePort } from './freePort.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ferretdbBin = path.join(root, '.tools/bin/ferretdb');

export interface LocalDatabase {
  uri: string;
  engine: 'mongod' | 'ferretdb';
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where the database's own output goes (default: discarded). */
  logFile?: string | undefined;
}

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port || (await freePort());
  const useMongod = spawnSync('mongod', ['--version'], { stdio: 'ignore' }).status === 0;
  let child: ChildProcess;
  if (useMongod) {
    const dbPath = path.join(dataDir, 'mongod');
    mkdirSync(dbPath, { recursive: true });
    child = spawn('mongod', ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: 'ignore' });
  } else {
    ensureFerretDb();
    const sqliteDir = path.join(dataDir, 'ferretdb');
    mkdirSync(sqliteDir, { recursive: true });
    child = spawn(
      ferretdbBin,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${sqliteDir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        `--state-dir=${dataDir}`,
        '--log-level=warn',
        '--log-format=json',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.resume();
  }
  const uri = `mongodb://127.0.0.1:${port}/`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitUntilReachable(uri, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    uri,
    engine: useMongod ? 'mongod' : 'ferretdb',
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function ensureFerretDb(): void {
  const result = spawnSync('bash', [path.join(root, 'scripts/install-ferretdb.sh')], { stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(ferretdbBin)) {
    throw new Error('The local database (FerretDB) could not be built; install Go, or set MONGODB_URI to a MongoDB server.');
  }
}

async function waitUntilReachable(uri: string, exited: Promise<void>): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (dead) throw new Error('The local database exited during start-up (is its port taken?).');
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      await client.close().catch(() => {});
    }
  }
  throw new Error(`The local database did not answer at ${uri} within 30 s.`);
}
