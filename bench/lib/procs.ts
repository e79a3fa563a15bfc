// Starting and stopping the processes under test: Parley's own server/main.ts (with
// the probe preloaded) and the bare broadcast servers used as baselines.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.js';
import { freePort } from '../../scripts/freePort.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const probe = path.join(repoRoot, 'bench/lib/probe.ts');

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Heap in use after a full GC, in bytes. */
  memory(): Promise<{ heapUsed: number; rss: number }>;
  lag(): Promise<{ p50: number; p99: number; max: number }>;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM (graceful) then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

let probeIds = 0;
function wrap(child: ChildProcess, port: number, logTail: string[]): ServerProcess {
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const ask = <T>(probeName: 'memory' | 'lag'): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++probeIds;
      const timer = setTimeout(() => reject(new Error(`probe ${probeName} timed out`)), 30_000);
      const onMessage = (message: unknown) => {
        if ((message as { id?: number }).id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.send({ probe: probeName, id });
    });
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    memory: () => ask('memory'),
    lag: () => ask('lag'),
    exited,
    stop,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    toString: () => logTail.join(''),
  } as ServerProcess;
}

function nodeArgs(extra: string[]): string[] {
  return ['--expose-gc', '--import', 'tsx', '--import', probe, ...extra];
}

/**
 * Every budget in server/config.ts at (or near) its highest accepted value: the benchmark
 * measures what the server can carry, not its fairness limits (a sender here sends up
 * to 16 messages a second, 1,000 sockets come from one IP, a storm of 500 handshakes and
 * catch-ups arrives at once). Names the server does not know are ignored by it; every
 * LIMIT_* name in server/config.ts is raised too, so a budget added later cannot
 * throttle the benchmark unnoticed.
 */
const UNTHROTTLED: Record<string, string> = {
  AUTH_RATE_LIMIT_PER_IP: '1000000000',
  AUTH_RATE_LIMIT_PER_ACCOUNT: '1000000000',
  AUTH_SLOWDOWN_AFTER_FAILURES: '1000000000',
  LIMIT_SENDS_PER_SECOND: '1000000000',
  LIMIT_SEND_BURST: '1000000000',
  LIMIT_SENDS_IN_FLIGHT_PER_USER: '1000000000',
  LIMIT_ROOMS_CREATED_PER_MINUTE: '1000000000',
  LIMIT_ROOM_CHANGES_PER_MINUTE: '1000000000',
  LIMIT_ROOM_VIEWS_PER_10S: '1000000000',
  LIMIT_READ_MARKS_PER_10S: '1000000000',
  LIMIT_TYPING_PER_10S: '1000000000',
  LIMIT_EVENTS_IN_FLIGHT_PER_CONNECTION: '1000000000',
  LIMIT_SOCKETS_PER_USER: '1000000000',
  LIMIT_SOCKET_OPENS_PER_MINUTE: '1000000000',
  ...Object.fromEntries(limitNamesInConfig().map((name) => [name, '1000000000'])),
  /** The backpressure bound's maximum: under saturation the latency shows, not 503s. */
  MAX_DATABASE_WORK: '100000',
};

/** The LIMIT_* variables server/config.ts declares today. */
function limitNamesInConfig(): string[] {
  try {
    return [...new Set(readFileSync(path.join(repoRoot, 'server/config.ts'), 'utf8').match(/\bLIMIT_[A-Z0-9_]+(?=:)/g) ?? [])];
  } catch {
    return [];
  }
}

export interface ParleyProcessOptions {
  port?: number;
  mongoUri: string;
  dbName: string;
  redisUrl?: string;
  instanceId?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/** Runs the real backend entry point, server/main.ts, as its own process. */
export async function startParley(options: ParleyProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: options.mongoUri,
    MONGODB_DB: options.dbName,
    LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn',
    ...UNTHROTTLED,
    SHUTDOWN_GRACE_MS: '5000',
    ...options.env,
  };
  delete env.REDIS_URL;
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  if (options.instanceId) env.INSTANCE_ID = options.instanceId;
  const child = spawn(process.execPath, nodeArgs([...(options.nodeFlags ?? []), path.join(repoRoot, 'server/main.ts')]), {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk.toString());
    if (tail.length > 20) tail.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const server = wrap(child, port, tail);
  await waitHealthy(server, 60_000, tail);
  return server;
}

async function waitHealthy(server: ServerProcess, timeoutMs: number, tail: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited during start-up: ${tail.join('')}`);
    try {
      const res = await fetch(`${server.url}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await server.kill();
  throw new Error(`server did not become healthy within ${timeoutMs} ms: ${tail.join('')}`);
}

/**
 * A bare broadcast server (no auth): 'socketio' or 'ws' without a database,
 * 'socketio-insert' storing each message in `database` before broadcasting it.
 */
export async function startBare(
  kind: 'socketio' | 'socketio-insert' | 'ws',
  port?: number,
  database?: { mongoUri: string; dbName: string },
): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  if (kind === 'socketio-insert' && !database) throw new Error('socketio-insert needs a database');
  const extra = database ? [database.mongoUri, database.dbName] : [];
  const child = spawn(process.execPath, nodeArgs([path.join(repoRoot, 'bench/lib/bareServer.ts'), kind, String(p), ...extra]), {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const server = wrap(child, p, []);
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { ready?: boolean }).ready) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.once('exit', () => reject(new Error(`bare ${kind} server exited during start-up`)));
  });
  return server;
}
