// The backend starts a local database only when asked (LOCAL_DB=1), and never in
// production: started the way a deployment starts it, without MONGODB_URI, it must
// refuse at once with a message that says what to set.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs server/main.ts with exactly these Parley variables; resolves with its exit code and output. */
function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = { ...process.env };
  for (const name of ['MONGODB_URI', 'LOCAL_DB', 'NODE_ENV', 'DATA_DIR', 'REDIS_URL', 'CORS_ORIGINS']) delete inherited[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    // PORT 0 and a throwaway data folder: should it wrongly start, it disturbs nothing.
    env: { ...inherited, PORT: '0', DATA_DIR: path.join(repoRoot, '.data-must-not-exist'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A server that started instead of refusing would never exit by itself.
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.concurrent('production start', () => {
  it('NODE_ENV=production without MONGODB_URI refuses to start, naming the variable', async () => {
    const { code, output } = await startServer({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(output).toMatch(/Parley cannot start/);
    expect(output).toMatch(/MONGODB_URI: is required with NODE_ENV=production/);
    expect(output).not.toMatch(/local database started|listening/);
  });

  it('LOCAL_DB=1 does not bring the development database into production', async () => {
    const { code, output } = await startServer({ NODE_ENV: 'production', LOCAL_DB: '1' });
    expect(code).toBe(1);
    expect(output).toMatch(/MONGODB_URI: is required with NODE_ENV=production/);
  });

  it('outside production, neither MONGODB_URI nor LOCAL_DB=1 also refuses, saying to set one', async () => {
    const { code, output } = await startServer({});
    expect(code).toBe(1);
    expect(output).toMatch(/MONGODB_URI: is unset: set it to your MongoDB, or set LOCAL_DB=1/);
  });
});
