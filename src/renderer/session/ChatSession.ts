// Runs in: the renderer. Everything that lives exactly as long as one signed-in session:
// the REST client, the live connection and its bindings, the open room, sends in
// progress (the outbox), read reports, drafts and the account's local store. Created by
// createChatSession when someone signs in, disposed when they sign out or the session
// ends; disposing it resets every store, so nothing of one user reaches the next.
import type { ParleyBridge, StoredSession } from '../../shared/bridge';
import { ApiClient } from '../api/client';
import type { LocalStore } from '../platform/localStore';
import { bindSocketEvents } from '../realtime/socketEvents';
import { createSocket, type ParleySocket } from '../realtime/socket';
import { useConnectionStore } from '../stores/connection';
import { useMessagesStore } from '../stores/messages';
import { usePresenceStore } from '../stores/presence';
import { useRoomsStore } from '../stores/rooms';
import { useUnreadLineStore } from '../stores/unreadLine';
import { useViewStore } from '../stores/view';
import { Drafts } from './drafts';
import { HistoryLoader } from './history';
import { RoomNavigator } from './navigation';
import { Outbox } from './outbox';
import { ReadReporter } from './readReports';
import { RoomCommands } from './roomCommands';
import { StartCache, wipeStartCache } from './startCache';
import { TypingTracker } from './typing';

/** Wait before reconnecting ourselves after the server closed the connection or refused it. */
const RECONNECT_MS = 2000;

export interface ChatSessionDeps {
  session: StoredSession;
  api: ApiClient;
  socket: ParleySocket;
  bridge: ParleyBridge;
  /** The account's local data (outbox, cache), kept across restarts, wiped at sign-out. */
  localStore: LocalStore;
  /** The room list and pages kept in the local store, painted before the server answers (default: over localStore). */
  cache?: StartCache;
  /** The server says the session is over (expired, logged out elsewhere). */
  onSessionEnded(): void;
}

export class ChatSession {
  readonly session: StoredSession;
  readonly api: ApiClient;
  readonly socket: ParleySocket;
  readonly bridge: ParleyBridge;
  /** The local cache handle: the account's LocalStore (outbox now; room list and pages later). */
  readonly localStore: LocalStore;
  readonly cache: StartCache;

  readonly navigation: RoomNavigator;
  readonly history: HistoryLoader;
  readonly outbox: Outbox;
  readonly reads: ReadReporter;
  readonly rooms: RoomCommands;
  readonly drafts = new Drafts();
  readonly typing: TypingTracker;

  private disposedFlag = false;
  private connectedBefore = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private unbindSocket: (() => void) | null = null;
  private readonly onSessionEnded: () => void;

  constructor(deps: ChatSessionDeps) {
    this.session = deps.session;
    this.api = deps.api;
    this.socket = deps.socket;
    this.bridge = deps.bridge;
    this.localStore = deps.localStore;
    this.cache = deps.cache ?? new StartCache(deps.localStore);
    this.onSessionEnded = deps.onSessionEnded;
    this.navigation = new RoomNavigator(this);
    this.history = new HistoryLoader(this);
    this.outbox = new Outbox(this);
    this.reads = new ReadReporter((roomId, seq) => this.navigation.sendRead(roomId, seq));
    this.rooms = new RoomCommands(this);
    this.typing = new TypingTracker(this.socket, () => this.selfId);
  }

  get selfId(): string {
    return this.session.user.id;
  }

  /** Signed out or ended: every callback that arrives later changes nothing. */
  get disposed(): boolean {
    return this.disposedFlag;
  }

  /** Paints the cached room list, binds the socket, restores the outbox, connects and loads the room list. */
  start(): void {
    void this.cache.start();
    this.unbindSocket = bindSocketEvents(this.socket, this);
    useConnectionStore.getState().setStatus('connecting');
    void this.outbox.restore();
    this.socket.connect();
    void this.rooms.refresh();
  }

  // ---------- the connection's lifecycle (called by realtime/socketEvents) ----------

  connected(): void {
    if (this.disposed) return;
    if (this.connectedBefore) void this.rooms.refresh();
    this.connectedBefore = true;
    this.navigation.syncView();
    this.outbox.resendUnsent();
  }

  disconnected(byServer: boolean): void {
    if (this.disposed) return;
    this.navigation.connectionLost();
    this.outbox.connectionLost();
    this.typing.connectionLost();
    // The server closed it without ending the session (e.g. a restart): reconnect ourselves.
    if (byServer) this.scheduleReconnect();
  }

  sessionEnded(): void {
    if (!this.disposed) this.onSessionEnded();
  }

  refused(): void {
    this.scheduleReconnect();
  }

  /** Pushes may have been lost, the machine woke, or the network is back: reconnect now and catch up. */
  resync(): void {
    if (this.disposed) return;
    if (this.socket.connected) {
      void this.rooms.refresh();
      void this.navigation.catchUpOpenRoom();
      return;
    }
    this.socket.disconnect();
    this.socket.connect();
  }

  /** The system says the network is gone: the connection is dead even if no heartbeat failed yet. */
  wentOffline(): void {
    if (this.disposed) return;
    if (this.socket.connected) {
      this.socket.disconnect();
      this.navigation.connectionLost();
      this.outbox.connectionLost();
    }
    useConnectionStore.getState().setStatus('offline');
    this.socket.connect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.disposed && !this.socket.connected) this.socket.connect();
    }, RECONNECT_MS);
  }

  /**
   * Ends the session's life: read reports go out first (over the connection, before it
   * closes), then the socket, timers and every store are reset. `wipeLocal` (signing out)
   * also wipes the account's local data: outbox and cache.
   */
  async dispose(options: { wipeLocal: boolean }): Promise<void> {
    if (this.disposedFlag) return;
    this.reads.flush();
    this.disposedFlag = true;
    this.cache.dispose(); // before the stores reset: an emptied list is not written back
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.unbindSocket?.();
    this.unbindSocket = null;
    this.socket.disconnect();
    this.navigation.dispose(); // tells the host no room is open
    this.outbox.dispose();
    this.reads.dispose();
    this.typing.dispose();
    this.drafts.clear();
    useViewStore.getState().reset();
    useRoomsStore.getState().reset();
    useMessagesStore.getState().reset();
    usePresenceStore.getState().reset();
    useUnreadLineStore.getState().reset();
    useConnectionStore.getState().setStatus('idle');
    // Signing out wipes everything; a session that ended otherwise (expired, revoked) loses
    // its cache and keeps its unsent messages.
    if (options.wipeLocal) await this.localStore.clear().catch(() => {});
    else await wipeStartCache(this.localStore).catch(() => {});
  }
}

/**
 * The one place a session is put together: the account's local store is opened here,
 * and the start-up cache over it paints before the server answers.
 */
export function createChatSession(stored: StoredSession, bridge: ParleyBridge, onSessionEnded: () => void): ChatSession {
  const api = new ApiClient({ baseUrl: stored.serverUrl, token: stored.token, onSessionEnded });
  const socket = createSocket(stored.serverUrl, stored.token);
  const localStore = bridge.openLocalStore(stored.user.id);
  const cache = new StartCache(localStore);
  return new ChatSession({ session: stored, api, socket, bridge, localStore, cache, onSessionEnded });
}
