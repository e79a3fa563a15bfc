// The one bridge between the renderer and its host. The Electron preload implements it
// over IPC (src/preload), the web build implements it with browser APIs
// (src/renderer/platform/webBridge.ts). The renderer only ever sees this interface,
// as `window.parley`.
import type { Message, PublicUser } from './contract.js';
import type { LocalStore } from './localStore.js';

/** What is kept between launches so the app signs straight back in. */
export interface StoredSession {
  token: string;
  /** ISO-8601; past this the session is treated as expired without asking the server. */
  expiresAt: string;
  user: PublicUser;
  serverUrl: string;
}

export interface ClientSettings {
  notificationsEnabled: boolean;
  mutedRoomIds: string[];
}

export const DEFAULT_SETTINGS: ClientSettings = { notificationsEnabled: true, mutedRoomIds: [] };

export interface UnreadRoom {
  roomId: string;
  name: string;
  count: number;
  /** Unread messages that @mention the user: such rooms come first in the tray menu. */
  mentions?: number;
}

/** Unread state for the tray icon, its tooltip and menu, and the dock/taskbar badge. */
export interface UnreadSummary {
  total: number;
  rooms: UnreadRoom[];
}

export type SessionState = 'signed-in' | 'signed-out' | 'expired';

export interface IncomingMessage {
  message: Message;
  roomName: string;
  /** The signed-in user's id: no notification for your own messages. */
  selfUserId: string;
}

export type Unsubscribe = () => void;

export interface ParleyBridge {
  readonly kind: 'desktop' | 'web';
  loadSession(): Promise<StoredSession | null>;
  saveSession(session: StoredSession): Promise<void>;
  clearSession(): Promise<void>;
  getSettings(): Promise<ClientSettings>;
  updateSettings(patch: Partial<ClientSettings>): Promise<ClientSettings>;
  /** The room whose chat view is open (null: none), so the host does not notify for it. */
  setActiveRoom(roomId: string | null): void;
  /** Every message that arrives; the host decides whether it deserves a notification. */
  messageArrived(event: IncomingMessage): void;
  setUnread(summary: UnreadSummary): void;
  setSessionState(state: SessionState): void;
  /** Opens an http(s) link in the system browser. */
  openExternal(url: string): void;
  /**
   * A notification, a tray menu line or a link asked to open a room; a notification or a
   * link to a message names it, and the room opens at that message.
   */
  onOpenRoom(listener: (roomId: string, messageId?: string) => void): Unsubscribe;
  /** The tray menu's "Log out". */
  onLogoutRequested(listener: () => void): Unsubscribe;
  /** The machine woke from sleep or the network came back: reconnect and catch up now. */
  onWake(listener: () => void): Unsubscribe;
  /**
   * One account's data on this device (start-up cache, outbox): IndexedDB in the web
   * build, an electron-store file in the desktop app. `clear()` wipes the account's data
   * (sign-out, session expiry). See src/shared/localStore.ts.
   */
  openLocalStore(accountId: string): LocalStore;
}
