// Starts one real database for the whole test run (FerretDB, or mongod if installed),
// unless MONGODB_URI points at one already. Each test file then uses its own database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from '../../server/infra/localDatabase.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongodbUri', process.env.MONGODB_URI);
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-test-db-'));
  const db = await startLocalDatabase({ dataDir, port: 0 });
  project.provide('mongodbUri', db.uri);
  return async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
