// The per-account local-data files on disk, in a temporary profile folder: conf, the
// library electron-store is a thin subclass of, with electron-store's own option mapping
// (name -> configName, an absolute cwd kept as is) standing in for it, since
// electron-store itself loads Electron.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const profile = mkdtempSync(path.join(tmpdir(), 'parley-store-test-'));
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  class ElectronStore extends Conf<Record<string, unknown>> {
    constructor(options: { name: string; cwd: string } & Record<string, unknown>) {
      const { name, ...rest } = options;
      super({ ...rest, configName: name, projectVersion: '0.0.0-test' });
    }
  }
  return { default: ElectronStore };
});

const { openAccountFiles } = await import('../../../src/main/store.js');
const ALICE = '0123456789abcdef01234567';
const BOB = '76543210fedcba9876543210';

afterAll(() => rmSync(profile, { recursive: true, force: true }));

describe('per-account files (electron-store)', () => {
  it('keeps each account in <userData>/local/<accountId>.json, readable by the user only', () => {
    const files = openAccountFiles(profile);
    const alice = files.open(ALICE);
    alice.set('cache:rooms', { v: 1, rooms: [{ id: 'r1' }] });
    alice.set('outbox', [{ clientId: 'c1' }]);
    files.open(BOB).set('outbox', []);
    const file = path.join(profile, 'local', `${ALICE}.json`);
    expect(files.dir).toBe(path.join(profile, 'local'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'cache:rooms': { v: 1, rooms: [{ id: 'r1' }] }, outbox: [{ clientId: 'c1' }] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A new handle (a restart) reads the same.
    expect(openAccountFiles(profile).open(ALICE).entries()).toEqual([
      ['cache:rooms', { v: 1, rooms: [{ id: 'r1' }] }],
      ['outbox', [{ clientId: 'c1' }]],
    ]);
  });

  it('treats keys as names, not paths into nested objects', () => {
    const alice = openAccountFiles(profile).open(ALICE);
    alice.set('a.b', 1);
    expect(alice.get('a.b')).toBe(1);
    expect(alice.get('a')).toBeUndefined();
    alice.delete('a.b');
    expect(alice.get('a.b')).toBeUndefined();
  });

  it('removes an account\u2019s file whole, leaving the others', () => {
    const files = openAccountFiles(profile);
    files.remove(ALICE);
    expect(existsSync(path.join(profile, 'local', `${ALICE}.json`))).toBe(false);
    expect(existsSync(path.join(profile, 'local', `${BOB}.json`))).toBe(true);
    expect(files.open(ALICE).entries()).toEqual([]);
    files.remove(ALICE); // nothing there: fine
  });

  it('starts a damaged file afresh instead of failing', () => {
    writeFileSync(path.join(profile, 'local', `${BOB}.json`), '{ not json');
    const bob = openAccountFiles(profile).open(BOB);
    expect(bob.entries()).toEqual([]);
    bob.set('outbox', [1]);
    expect(bob.get('outbox')).toEqual([1]);
  });
});
