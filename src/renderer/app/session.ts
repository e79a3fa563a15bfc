// Runs in: the renderer. Signing in, registering, restoring the stored session at start,
// logging out and ending an expired session; and the connection's lifecycle while signed in.
import type { ParleyBridge, StoredSession } from '../../shared/bridge';
import type { AuthResponse, LoginBody, RegisterBody } from '../../shared/contract';
import { ApiClient, isSessionError } from '../api/client';
import { getBridge } from '../platform/bridge';
import { bindSocketEvents } from '../realtime/socketEvents';
import { createSocket } from '../realtime/socket';
import { useConnectionStore } from '../stores/connection';
import { useMessagesStore } from '../stores/messages';
import { usePresenceStore } from '../stores/presence';
import { unreadSummary, useRoomsStore } from '../stores/rooms';
import { SESSION_ENDED_NOTICE, useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { useViewStore } from '../stores/view';
import { catchUpOpenRoom, connectionLost, flushReads, markReadIfSeen, resetChatState, syncView } from './chat';
import { resendUnsent } from './outbox';
import { openRoomFromHost, refreshRooms } from './rooms';
import { getRuntime, setRuntime, type Runtime } from './runtime';

const LAST_SERVER_KEY = 'parley.lastServerUrl';

let unbindSocket: (() => void) | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let started = false;

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

/** Once per page: settings, host listeners, and the stored session (signing straight back in). */
export async function boot(): Promise<void> {
  if (started) return;
  started = true;
  const bridge = getBridge();
  bindHost(bridge);
  useSettingsStore.getState().setSettings(await bridge.getSettings());
  const stored = await bridge.loadSession();
  if (!stored) {
    useSessionStore.getState().signedOut();
    bridge.setSessionState('signed-out');
    return;
  }
  if (!(Date.parse(stored.expiresAt) > Date.now())) {
    await endSession('expired');
    return;
  }
  try {
    const { user } = await new ApiClient({ baseUrl: stored.serverUrl, token: stored.token }).me();
    const session = { ...stored, user };
    await bridge.saveSession(session);
    start(session);
  } catch (error) {
    if (isSessionError(error)) {
      await endSession('expired');
      return;
    }
    // The server is unreachable right now: stay signed in, the connection keeps trying.
    start(stored);
  }
}

export async function signIn(serverUrl: string, body: LoginBody): Promise<void> {
  establish(serverUrl, await new ApiClient({ baseUrl: serverUrl }).login(body));
}

export async function register(serverUrl: string, body: RegisterBody): Promise<void> {
  establish(serverUrl, await new ApiClient({ baseUrl: serverUrl }).register(body));
}

function establish(serverUrl: string, auth: AuthResponse): void {
  const session: StoredSession = { token: auth.token, expiresAt: auth.expiresAt, user: auth.user, serverUrl };
  rememberServerUrl(serverUrl);
  void getBridge().saveSession(session);
  start(session);
}

function start(session: StoredSession): void {
  const bridge = getBridge();
  const api = new ApiClient({ baseUrl: session.serverUrl, token: session.token, onSessionEnded: () => void endSession('expired') });
  const socket = createSocket(session.serverUrl, session.token);
  const runtime: Runtime = { session, api, socket, bridge };
  setRuntime(runtime);
  let connectedBefore = false;
  unbindSocket = bindSocketEvents(socket, bridge, {
    connected() {
      if (getRuntime() !== runtime) return;
      if (connectedBefore) void refreshRooms();
      connectedBefore = true;
      syncView();
      resendUnsent();
    },
    disconnected(byServer) {
      connectionLost();
      // The server closed it without ending the session (e.g. a restart): reconnect ourselves.
      if (byServer) scheduleReconnect(runtime);
    },
    sessionEnded() {
      if (getRuntime() === runtime) void endSession('expired');
    },
    resync() {
      if (getRuntime() === runtime) wake();
    },
    refused() {
      scheduleReconnect(runtime);
    },
  });
  useSessionStore.getState().signedIn(session);
  useConnectionStore.getState().setStatus('connecting');
  bridge.setSessionState('signed-in');
  socket.connect();
  void refreshRooms();
}

function scheduleReconnect(runtime: Runtime): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (getRuntime() === runtime && !runtime.socket.connected) runtime.socket.connect();
  }, 2000);
}

/** Drops everything that belongs to the signed-in user. */
function teardown(): Runtime | null {
  const runtime = getRuntime();
  if (!runtime) return null;
  setRuntime(null);
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  unbindSocket?.();
  unbindSocket = null;
  runtime.socket.disconnect();
  syncView(); // tells the host no room is open
  resetChatState();
  useViewStore.getState().reset();
  useRoomsStore.getState().reset();
  useMessagesStore.getState().reset();
  usePresenceStore.getState().reset();
  useConnectionStore.getState().setStatus('idle');
  return runtime;
}

export async function logout(): Promise<void> {
  // How far the user read still reaches the server (over the connection, before it closes).
  flushReads();
  const runtime = teardown();
  const bridge = getBridge();
  await bridge.clearSession();
  bridge.setSessionState('signed-out');
  useSessionStore.getState().signedOut();
  // The connection is already closed, so the server's session:ended finds nobody to end.
  if (runtime) await runtime.api.logout().catch(() => {});
}

/** The session is over without the user asking: back to sign-in, saying so. */
export async function endSession(_reason: 'expired'): Promise<void> {
  teardown();
  const bridge = getBridge();
  await bridge.clearSession();
  bridge.setSessionState('expired');
  useSessionStore.getState().signedOut(SESSION_ENDED_NOTICE);
}

/** The machine woke or the network is back: reconnect now (no back-off wait) and catch up. */
export function wake(): void {
  const runtime = getRuntime();
  if (!runtime) return;
  if (runtime.socket.connected) {
    void refreshRooms();
    void catchUpOpenRoom();
    return;
  }
  runtime.socket.disconnect();
  runtime.socket.connect();
}

function bindHost(bridge: ParleyBridge): void {
  bridge.onOpenRoom(openRoomFromHost);
  bridge.onLogoutRequested(() => void logout());
  bridge.onWake(wake);

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
  window.addEventListener('focus', markReadIfSeen);
  window.addEventListener('blur', () => flushReads());
  window.addEventListener('pagehide', () => flushReads());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushReads();
    else markReadIfSeen();
  });
  // The system says the network is gone: an open connection is dead even if no heartbeat
  // has failed yet. Close it now (messages typed meanwhile wait as "Sending…") and keep
  // retrying with back-off; 'online' (through onWake) reconnects at once.
  window.addEventListener('offline', () => {
    const runtime = getRuntime();
    if (!runtime) return;
    if (runtime.socket.connected) {
      runtime.socket.disconnect();
      connectionLost();
    }
    useConnectionStore.getState().setStatus('offline');
    runtime.socket.connect();
  });
  window.addEventListener('online', () => {
    if (useConnectionStore.getState().status === 'offline') useConnectionStore.getState().setStatus('reconnecting');
  });
}
