// Runs in: the renderer. The client settings kept by the host (notifications, muted rooms).
import { create } from 'zustand';
import { DEFAULT_SETTINGS, type ClientSettings } from '../../shared/bridge';

interface SettingsState {
  settings: ClientSettings;
  setSettings(settings: ClientSettings): void;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: DEFAULT_SETTINGS,
  setSettings: (settings) => set({ settings }),
}));

export const selectNotificationsEnabled = (s: SettingsState) => s.settings.notificationsEnabled;
export const selectIsMuted = (roomId: string) => (s: SettingsState) => s.settings.mutedRoomIds.includes(roomId);
