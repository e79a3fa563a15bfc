// Runs in: the renderer. What lives as long as the page: signing in, registering,
// restoring the stored session at start, logging out and ending an expired session, and
// the host's listeners. It holds the signed-in ChatSession (one at a time) and disposes
// it at sign-out; main.tsx makes the one instance and hands it to the views.
import type { ParleyBridge, StoredSession } from '../../shared/bridge';
import type { AuthResponse, LoginBody, RegisterBody } from '../../shared/contract';
import { ApiClient, isSessionError } from '../api/client';
import { useConnectionStore } from '../stores/connection';
import { unreadSummary, useRoomsStore } from '../stores/rooms';
import { SESSION_ENDED_NOTICE, useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { createChatSession, type ChatSession } from './ChatSession';
import { wipeStartCache } from './startCache';

const LAST_SERVER_KEY = 'parley.lastServerUrl';

/** The server URL last signed in to, to prefill the form. */
export function lastServerUrl(): string | null {
  try {
    return localStorage.getItem(LAST_SERVER_KEY);
  } catch {
    return null;
  }
}

function rememberServerUrl(url: string): void {
  try {
    localStorage.setItem(LAST_SERVER_KEY, url);
  } catch {
    // storage unavailable: the form falls back to the default
  }
}

export class ParleyClient {
  private current: ChatSession | null = null;
  private started = false;
  /** A room asked for (a link, a notification) before anyone was signed in. */
  private openWhenSignedIn: { roomId: string; messageId?: string } | null = null;

  constructor(
    private readonly bridge: ParleyBridge,
    private readonly makeSession: (stored: StoredSession, bridge: ParleyBridge, onEnded: () => void) => ChatSession = createChatSession,
  ) {}

  /** The signed-in session, or null. */
  get session(): ChatSession | null {
    return this.current;
  }

  /** Once per page: settings, host listeners, and the stored session (signing straight back in). */
  async boot(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const bridge = this.bridge;
    this.bindHost();
    useSettingsStore.getState().setSettings(await bridge.getSettings());
    const stored = await bridge.loadSession();
    if (!stored) {
      useSessionStore.getState().signedOut();
      bridge.setSessionState('signed-out');
      return;
    }
    if (!(Date.parse(stored.expiresAt) > Date.now())) {
      // Its cache goes with it (unsent messages wait for the same account's next sign-in).
      await wipeStartCache(bridge.openLocalStore(stored.user.id)).catch(() => {});
      await this.endSession();
      return;
    }
    // Instant start: signed in from the stored session at once, so the cache paints while
    // the server is asked whether the session still holds.
    this.start(stored);
    await this.recheck(stored);
  }

  /** Asks the server about a restored session: ended means signed out; unreachable changes nothing (the connection keeps trying). */
  private async recheck(stored: StoredSession): Promise<void> {
    try {
      const { user } = await new ApiClient({ baseUrl: stored.serverUrl, token: stored.token }).me();
      if (this.current?.session === stored) await this.bridge.saveSession({ ...stored, user });
    } catch (error) {
      if (isSessionError(error) && this.current?.session === stored) await this.endSession();
    }
  }

  async signIn(serverUrl: string, body: LoginBody): Promise<void> {
    this.establish(serverUrl, await new ApiClient({ baseUrl: serverUrl }).login(body));
  }

  async register(serverUrl: string, body: RegisterBody): Promise<void> {
    this.establish(serverUrl, await new ApiClient({ baseUrl: serverUrl }).register(body));
  }

  private establish(serverUrl: string, auth: AuthResponse): void {
    const session: StoredSession = { token: auth.token, expiresAt: auth.expiresAt, user: auth.user, serverUrl };
    rememberServerUrl(serverUrl);
    void this.bridge.saveSession(session);
    this.start(session);
  }

  private start(stored: StoredSession): void {
    void this.current?.dispose({ wipeLocal: false });
    const chat = this.makeSession(stored, this.bridge, () => {
      if (this.current === chat) void this.endSession();
    });
    this.current = chat;
    useSessionStore.getState().signedIn(stored);
    this.bridge.setSessionState('signed-in');
    chat.start();
    if (this.openWhenSignedIn) {
      const { roomId, messageId } = this.openWhenSignedIn;
      this.openWhenSignedIn = null;
      chat.rooms.openFromHost(roomId, messageId);
    }
  }

  /** Ends the session and forgets it; `wipeLocal` also wipes the account's data on this device. */
  private async stop(wipeLocal: boolean): Promise<ChatSession | null> {
    const chat = this.current;
    this.current = null;
    await chat?.dispose({ wipeLocal });
    return chat;
  }

  /** The user logs out: their drafts, outbox and local cache go with the session. */
  async logout(): Promise<void> {
    const chat = await this.stop(true);
    await this.bridge.clearSession();
    this.bridge.setSessionState('signed-out');
    useSessionStore.getState().signedOut();
    // The connection is already closed, so the server's session:ended finds nobody to end.
    if (chat) await chat.api.logout().catch(() => {});
  }

  /**
   * The session is over without the user asking: back to sign-in, saying so. The outbox
   * is kept on this device: it goes out when the same account signs in again.
   */
  async endSession(): Promise<void> {
    await this.stop(false);
    await this.bridge.clearSession();
    this.bridge.setSessionState('expired');
    useSessionStore.getState().signedOut(SESSION_ENDED_NOTICE);
  }

  /** The machine woke or the network is back: reconnect now (no back-off wait) and catch up. */
  wake(): void {
    this.current?.resync();
  }

  async setNotificationsEnabled(enabled: boolean): Promise<void> {
    useSettingsStore.getState().setSettings(await this.bridge.updateSettings({ notificationsEnabled: enabled }));
  }

  private openFromHost(roomId: string, messageId?: string): void {
    if (this.current) this.current.rooms.openFromHost(roomId, messageId);
    // A link opened the app before it signed in: followed once someone is.
    else this.openWhenSignedIn = { roomId, messageId };
  }

  private bindHost(): void {
    const bridge = this.bridge;
    bridge.onOpenRoom((roomId, messageId) => this.openFromHost(roomId, messageId));
    bridge.onLogoutRequested(() => void this.logout());
    bridge.onWake(() => this.wake());

    // The tray and badge follow the unread counts (muted rooms excluded).
    let lastSummary = '';
    const reportUnread = () => {
      const summary = unreadSummary(useRoomsStore.getState().rooms, useSettingsStore.getState().settings.mutedRoomIds);
      const key = JSON.stringify(summary);
      if (key === lastSummary) return;
      lastSummary = key;
      bridge.setUnread(summary);
    };
    useRoomsStore.subscribe(reportUnread);
    useSettingsStore.subscribe(reportUnread);

    // Looking at the window again counts as reading the open room; looking away (or closing)
    // sends the read reports that were waiting for their interval at once.
    window.addEventListener('focus', () => this.current?.navigation.markReadIfSeen());
    window.addEventListener('blur', () => this.current?.navigation.flushReads());
    window.addEventListener('pagehide', () => this.current?.navigation.flushReads());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.current?.navigation.flushReads();
      else this.current?.navigation.markReadIfSeen();
    });
    // The system says the network is gone: close the connection now (messages typed
    // meanwhile wait as "Sending…") and keep retrying; 'online' (through onWake) reconnects at once.
    window.addEventListener('offline', () => this.current?.wentOffline());
    window.addEventListener('online', () => {
      if (useConnectionStore.getState().status === 'offline') useConnectionStore.getState().setStatus('reconnecting');
    });
  }
}
