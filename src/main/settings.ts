// Runs in: the Electron main process (pure: works on a KeyValueStore, not on Electron).
// The user's notification settings, kept between launches. A damaged file falls back
// to the defaults instead of stopping the app.
import { DEFAULT_SETTINGS, type ClientSettings } from '../shared/bridge.js';
import type { Logger } from './log.js';
import type { KeyValueStore } from './ports.js';
import { clientSettingsSchema, type PersistedData } from './schemas.js';

export class SettingsStore {
  constructor(
    private readonly store: KeyValueStore<PersistedData>,
    private readonly log: Logger,
  ) {}

  get(): ClientSettings {
    const raw = this.store.get('settings');
    if (raw === undefined) return { ...DEFAULT_SETTINGS, mutedRoomIds: [...DEFAULT_SETTINGS.mutedRoomIds] };
    const parsed = clientSettingsSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.log.warn('the stored settings are unreadable; using the defaults');
    return { ...DEFAULT_SETTINGS, mutedRoomIds: [...DEFAULT_SETTINGS.mutedRoomIds] };
  }

  update(patch: Partial<ClientSettings>): ClientSettings {
    const current = this.get();
    const next: ClientSettings = {
      notificationsEnabled: patch.notificationsEnabled ?? current.notificationsEnabled,
      mutedRoomIds: patch.mutedRoomIds ? [...new Set(patch.mutedRoomIds)] : current.mutedRoomIds,
    };
    this.store.set('settings', next);
    return next;
  }
}
