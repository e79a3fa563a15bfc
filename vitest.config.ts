import { defineConfig } from 'vitest/config';

/** Server tests whose rules compare latencies: run alone, after the rest. */
const TIMED = ['tests/server/abuse/flood.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          exclude: [...TIMED],
          environment: 'node',
          globalSetup: ['tests/support/globalDatabase.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Files share one database server but each gets its own database.
          fileParallelism: true,
        },
      },
      {
        // Tests that compare latencies (others' acks during a flood against idle) run last,
        // after every other project, one file at a time, so no neighbour's load is measured.
        test: {
          name: 'server-timed',
          include: [...TIMED],
          environment: 'node',
          globalSetup: ['tests/support/globalDatabase.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        // The server's domain rules and services beside their code, on in-memory fakes:
        // no database, no network, a few seconds in all (`npm run test:unit`).
        test: {
          name: 'server-unit',
          include: ['server/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Store and main-process logic; renderer tests opt into jsdom with a docblock.
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        // The built desktop app (out/, built first if stale) started in Node on a recording
        // stand-in for Electron: scheme, lock, window, preload, IPC handlers, tray and badge.
        test: {
          name: 'desktop',
          include: ['tests/desktop/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/desktop/globalSetup.ts'],
          hookTimeout: 180_000,
        },
      },
      {
        // Several real backend processes with their own database and Redis, killed and
        // restarted on purpose (docs/deploy.md). One file at a time: they load the machine.
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          // After the in-process suites: its recovery deadlines are not shared with their load.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
