// Runs in: the renderer of the web build. ParleyBridge over browser APIs: localStorage for
// the session and settings, IndexedDB for each account's local data (platform/localStore.ts),
// the Web Notifications API for notifications (decided by the
// same shared policy as the desktop app), the page title for the unread count, the
// 'online' event as the wake-up signal, and links into the app in the address's hash
// (#/rooms/<roomId>, #/rooms/<roomId>/messages/<messageId>).
import {
  DEFAULT_SETTINGS,
  type ClientSettings,
  type IncomingMessage,
  type ParleyBridge,
  type SessionState,
  type StoredSession,
  type UnreadSummary,
  type Unsubscribe,
} from '../../shared/bridge';
import { notificationContent, shouldNotify } from '../../shared/notifyPolicy';
import { isHttpUrl } from '../../shared/urls';
import { formatUnread } from '../lib/unread';
import { openWebLocalStore } from './localStore';

const SESSION_KEY = 'parley.session';
const SETTINGS_KEY = 'parley.settings';
const BASE_TITLE = 'Parley';

export interface WebBridgeEnvironment {
  storage: Storage;
  window: Window;
  document: Document;
  /** Absent where the browser has no notifications (or in tests). */
  Notification?: typeof Notification;
}

function readJson<T>(storage: Storage, key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  const s = value as Partial<StoredSession> | null;
  return (
    !!s &&
    typeof s.token === 'string' &&
    typeof s.expiresAt === 'string' &&
    typeof s.serverUrl === 'string' &&
    !!s.user &&
    typeof s.user.id === 'string' &&
    typeof s.user.username === 'string'
  );
}

export interface RoomLink {
  roomId: string;
  messageId?: string;
}

const ROOM_LINK = /^#\/rooms\/([0-9a-f]{24})(?:\/messages\/([0-9a-f]{24}))?\/?$/;

/** A link into the app: `#/rooms/<roomId>` or `#/rooms/<roomId>/messages/<messageId>`. */
export function parseRoomLink(hash: string): RoomLink | null {
  const match = ROOM_LINK.exec(hash);
  if (!match) return null;
  return match[2] ? { roomId: match[1]!, messageId: match[2] } : { roomId: match[1]! };
}

/** The link to a message, relative to the page: what parseRoomLink reads. */
export function messageLink(roomId: string, messageId: string): string {
  return `#/rooms/${roomId}/messages/${messageId}`;
}

function normalizeSettings(value: Partial<ClientSettings> | null): ClientSettings {
  return {
    notificationsEnabled: typeof value?.notificationsEnabled === 'boolean' ? value.notificationsEnabled : DEFAULT_SETTINGS.notificationsEnabled,
    mutedRoomIds: Array.isArray(value?.mutedRoomIds) ? value.mutedRoomIds.filter((id): id is string => typeof id === 'string') : [],
  };
}

export function createWebBridge(env: WebBridgeEnvironment = defaultEnvironment()): ParleyBridge {
  const { storage, window: win, document: doc } = env;
  const NotificationApi = env.Notification;
  const openRoomListeners = new Set<(roomId: string, messageId?: string) => void>();
  const logoutListeners = new Set<() => void>();
  const wakeListeners = new Set<() => void>();
  let activeRoomId: string | null = null;
  let settings = normalizeSettings(readJson<ClientSettings>(storage, SETTINGS_KEY));

  const windowFocused = () => doc.visibilityState === 'visible' && doc.hasFocus();
  const subscribe = <T>(set: Set<T>, listener: T): Unsubscribe => {
    set.add(listener);
    return () => set.delete(listener);
  };

  win.addEventListener('online', () => wakeListeners.forEach((l) => l()));

  // A link is followed once, then taken out of the address, so a reload does not jump back.
  // One that arrives before anyone listens (the page was opened with it) waits for the app.
  let pendingLink: RoomLink | null = null;
  const openLink = (link: RoomLink) => {
    if (openRoomListeners.size === 0) pendingLink = link;
    else openRoomListeners.forEach((l) => l(link.roomId, link.messageId));
  };
  const takeLinkFromAddress = () => {
    const link = parseRoomLink(win.location.hash);
    if (!link) return;
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search);
    openLink(link);
  };
  takeLinkFromAddress();
  win.addEventListener('hashchange', takeLinkFromAddress);
  win.addEventListener('storage', (event) => {
    if (event.key === SETTINGS_KEY) settings = normalizeSettings(readJson<ClientSettings>(storage, SETTINGS_KEY));
  });

  function requestPermission(): void {
    if (NotificationApi && NotificationApi.permission === 'default') void NotificationApi.requestPermission();
  }

  return {
    kind: 'web',

    async loadSession() {
      const session = readJson<unknown>(storage, SESSION_KEY);
      return isStoredSession(session) ? session : null;
    },
    async saveSession(session) {
      storage.setItem(SESSION_KEY, JSON.stringify(session));
    },
    async clearSession() {
      storage.removeItem(SESSION_KEY);
    },

    async getSettings() {
      return settings;
    },
    async updateSettings(patch) {
      settings = normalizeSettings({ ...settings, ...patch });
      storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
      // Turning notifications on is a click: the moment a browser lets a page ask.
      if (patch.notificationsEnabled) requestPermission();
      return settings;
    },

    setActiveRoom(roomId) {
      activeRoomId = roomId;
    },

    messageArrived(event: IncomingMessage) {
      if (!NotificationApi || NotificationApi.permission !== 'granted') return;
      if (!shouldNotify(event, settings, { activeRoomId, windowFocused: windowFocused() })) return;
      const { title, body } = notificationContent(event);
      const notification = new NotificationApi(title, { body, tag: `parley-room-${event.message.roomId}` });
      notification.onclick = () => {
        win.focus();
        notification.close();
        openLink({ roomId: event.message.roomId, messageId: event.message.id });
      };
    },

    setUnread(summary: UnreadSummary) {
      doc.title = summary.total > 0 ? `(${formatUnread(summary.total)}) ${BASE_TITLE}` : BASE_TITLE;
    },

    setSessionState(state: SessionState) {
      if (state !== 'signed-in') doc.title = BASE_TITLE;
    },

    openExternal(url) {
      if (!isHttpUrl(url)) return;
      win.open(url, '_blank', 'noopener,noreferrer');
    },

    onOpenRoom: (listener) => {
      const unsubscribe = subscribe(openRoomListeners, listener);
      if (pendingLink) {
        const link = pendingLink;
        pendingLink = null;
        queueMicrotask(() => openLink(link));
      }
      return unsubscribe;
    },
    onLogoutRequested: (listener) => subscribe(logoutListeners, listener),
    onWake: (listener) => subscribe(wakeListeners, listener),
    openLocalStore: openWebLocalStore,
  };
}

function defaultEnvironment(): WebBridgeEnvironment {
  return {
    storage: window.localStorage,
    window,
    document,
    Notification: 'Notification' in window ? window.Notification : undefined,
  };
}

/** Whether the browser refuses notifications for this site (the settings dialog says so). */
export function webNotificationsBlocked(): boolean {
  return 'Notification' in window && window.Notification.permission === 'denied';
}
