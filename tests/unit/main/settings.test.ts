import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/bridge.js';
import { SettingsStore } from '../../../src/main/settings.js';
import { memoryStore, recordingLogger } from './fakes.js';

const ROOM_A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const ROOM_B = 'bbbbbbbbbbbbbbbbbbbbbbbb';

describe('settings', () => {
  it('starts from the defaults', () => {
    expect(new SettingsStore(memoryStore(), recordingLogger()).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('persists an update across a restart and applies only what the patch names', () => {
    const store = memoryStore();
    const first = new SettingsStore(store, recordingLogger());
    expect(first.update({ mutedRoomIds: [ROOM_A, ROOM_B, ROOM_A] })).toEqual({ notificationsEnabled: true, mutedRoomIds: [ROOM_A, ROOM_B] });
    first.update({ notificationsEnabled: false });
    expect(new SettingsStore(store, recordingLogger()).get()).toEqual({ notificationsEnabled: false, mutedRoomIds: [ROOM_A, ROOM_B] });
  });

  it('falls back to the defaults when the stored settings are damaged', () => {
    const log = recordingLogger();
    const store = memoryStore({ settings: { notificationsEnabled: 'yes', mutedRoomIds: 3 } as never });
    expect(new SettingsStore(store, log).get()).toEqual(DEFAULT_SETTINGS);
    expect(log.lines[0]?.level).toBe('warn');
  });

  it('never hands out the shared defaults object', () => {
    const settings = new SettingsStore(memoryStore(), recordingLogger()).get();
    settings.mutedRoomIds.push(ROOM_A);
    expect(DEFAULT_SETTINGS.mutedRoomIds).toEqual([]);
  });
});
