// Runs in: the Electron main process (types only).
// The small interfaces the main-process logic talks to instead of Electron itself.
// src/main/electronPorts.ts implements them with Electron; the unit tests implement them
// with plain objects, so session restore, notifications and the tray run without Electron.
import type { EventChannels, EventChannel } from '../shared/ipc.js';
import type { TrayIconName } from './unread.js';
import type { TrayMenuItem } from './trayMenu.js';

/** The app's one window, as the logic sees it. */
export interface WindowPort {
  /** Shows, restores and focuses the window (it may be hidden in the tray). */
  reveal(): void;
  hide(): void;
  /** Visible, not minimised and holding keyboard focus: the user is looking at it. */
  isAttentive(): boolean;
  /** Sends an event to the renderer; dropped if the page is gone. */
  send<C extends EventChannel>(channel: C, ...args: EventChannels[C]['args']): void;
}

/** Electron's safeStorage, as far as the token cipher needs it. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  /** Linux only: which secret store backs the encryption ('basic_text' = a hard-coded key). */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** A typed key-value file (electron-store in the app, a Map in tests). */
export interface KeyValueStore<T extends Record<string, unknown>> {
  get<K extends keyof T>(key: K): T[K] | undefined;
  set<K extends keyof T>(key: K, value: T[K]): void;
  delete(key: keyof T): void;
}

export interface NotificationHandle {
  onClick(listener: () => void): void;
  onClose(listener: () => void): void;
  show(): void;
}

export interface NotificationPort {
  isSupported(): boolean;
  create(content: { title: string; body: string }): NotificationHandle;
}

export interface TrayPort {
  setImage(icon: TrayIconName): void;
  setToolTip(text: string): void;
  setMenu(items: TrayMenuItem[]): void;
}

/** Registering as the OS's handler of a link scheme: app.setAsDefaultProtocolClient. */
export interface ProtocolClientPort {
  setAsDefaultProtocolClient(scheme: string, execPath?: string, args?: string[]): boolean;
}

/** Dock/taskbar/launcher count: app.setBadgeCount, or an overlay icon on Windows. */
export interface BadgePort {
  setCount(count: number): void;
}

/** One account's local-data file (electron-store in the app, a Map in tests): JSON values by key. */
export interface AccountFile {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  entries(): Array<[string, unknown]>;
}

/** The folder of per-account local-data files. */
export interface AccountFiles {
  open(accountId: string): AccountFile;
  /** Deletes the account's file; nothing of it is left on disk. */
  remove(accountId: string): void;
}
