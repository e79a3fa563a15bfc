// Plain-object stand-ins for the ports in src/main/ports.ts, so the main-process logic
// runs in these tests without Electron.
import type { EventChannel, EventChannels } from '../../../src/shared/ipc.js';
import type { Logger } from '../../../src/main/log.js';
import type { AccountFile, AccountFiles, KeyValueStore, NotificationHandle, NotificationPort, SafeStoragePort, WindowPort } from '../../../src/main/ports.js';
import type { PersistedData } from '../../../src/main/schemas.js';

export function memoryStore(initial: PersistedData = {}): KeyValueStore<PersistedData> & { data: PersistedData } {
  const data: PersistedData = structuredClone(initial);
  return {
    data,
    get: (key) => structuredClone(data[key]),
    set: (key, value) => {
      data[key] = structuredClone(value);
    },
    delete: (key) => {
      delete data[key];
    },
  };
}

/** Per-account files as JSON texts in a Map (what is on "disk"), written whole on each change as electron-store does. */
export function memoryAccountFiles(): AccountFiles & { disk: Map<string, string>; opened: string[] } {
  const disk = new Map<string, string>();
  const opened: string[] = [];
  const read = (accountId: string): Record<string, unknown> => JSON.parse(disk.get(accountId) ?? '{}') as Record<string, unknown>;
  return {
    disk,
    opened,
    open(accountId): AccountFile {
      opened.push(accountId);
      const write = (change: (data: Record<string, unknown>) => void) => {
        const data = read(accountId);
        change(data);
        disk.set(accountId, JSON.stringify(data));
      };
      return {
        get: (key) => read(accountId)[key],
        set: (key, value) => write((data) => void (data[key] = value)),
        delete: (key) => write((data) => void delete data[key]),
        entries: () => Object.entries(read(accountId)),
      };
    },
    remove: (accountId) => void disk.delete(accountId),
  };
}

export interface RecordingLogger extends Logger {
  lines: Array<{ level: 'info' | 'warn' | 'error'; message: string }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const once = new Set<string>();
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
    warnOnce(key, message) {
      if (once.has(key)) return;
      once.add(key);
      lines.push({ level: 'warn', message });
    },
  };
}

/** safeStorage with a reversible "encryption" that is visibly not the plain text. */
export function fakeSafeStorage(options: { available: boolean; backend?: string }): SafeStoragePort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => options.available,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plainText) {
      calls.push('encrypt');
      if (!options.available) throw new Error('Encryption is not available.');
      return Buffer.from(`sealed:${[...plainText].reverse().join('')}`);
    },
    decryptString(encrypted) {
      calls.push('decrypt');
      const text = encrypted.toString();
      if (!options.available || !text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return [...text.slice('sealed:'.length)].reverse().join('');
    },
  };
}

export interface FakeWindow extends WindowPort {
  attentive: boolean;
  hidden: boolean;
  revealed: number;
  sent: Array<{ channel: EventChannel; args: unknown[] }>;
}

export function fakeWindow(attentive = false): FakeWindow {
  const window: FakeWindow = {
    attentive,
    hidden: false,
    revealed: 0,
    sent: [],
    reveal() {
      window.revealed += 1;
      window.hidden = false;
    },
    hide() {
      window.hidden = true;
    },
    isAttentive: () => window.attentive,
    send<C extends EventChannel>(channel: C, ...args: EventChannels[C]['args']) {
      window.sent.push({ channel, args });
    },
  };
  return window;
}

export interface FakeNotification extends NotificationHandle {
  title: string;
  body: string;
  shown: boolean;
  click(): void;
  close(): void;
}

export function fakeNotifications(supported = true): NotificationPort & { created: FakeNotification[] } {
  const created: FakeNotification[] = [];
  return {
    created,
    isSupported: () => supported,
    create({ title, body }) {
      const clicks: Array<() => void> = [];
      const closes: Array<() => void> = [];
      const notification: FakeNotification = {
        title,
        body,
        shown: false,
        onClick: (listener) => void clicks.push(listener),
        onClose: (listener) => void closes.push(listener),
        show: () => {
          notification.shown = true;
        },
        click: () => clicks.forEach((listener) => listener()),
        close: () => closes.forEach((listener) => listener()),
      };
      created.push(notification);
      return notification;
    },
  };
}
