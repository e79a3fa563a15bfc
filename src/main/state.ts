// Runs in: the Electron main process (pure: no Electron import).
// What the main process knows about the renderer's state, as told over IPC: whether
// someone is signed in, the unread counts and which room is on screen. Features (tray,
// badge, notifications) read it or subscribe to changes instead of asking the window.
import type { SessionState, UnreadSummary } from '../shared/bridge.js';

export interface AppStateSnapshot {
  session: SessionState;
  unread: UnreadSummary;
  activeRoomId: string | null;
}

export type AppStateListener = (state: AppStateSnapshot) => void;

export const NO_UNREAD: UnreadSummary = { total: 0, rooms: [] };

export class AppState {
  private state: AppStateSnapshot;
  private readonly listeners = new Set<AppStateListener>();

  constructor(initial: Partial<AppStateSnapshot> = {}) {
    this.state = { session: 'signed-out', unread: NO_UNREAD, activeRoomId: null, ...initial };
  }

  get snapshot(): AppStateSnapshot {
    return this.state;
  }

  setSession(session: SessionState): void {
    // Signed out, the old counts belong to nobody: drop them with the session.
    this.update(session === 'signed-in' ? { session } : { session, unread: NO_UNREAD, activeRoomId: null });
  }

  setUnread(unread: UnreadSummary): void {
    this.update({ unread });
  }

  setActiveRoom(activeRoomId: string | null): void {
    this.update({ activeRoomId });
  }

  /** Calls the listener now and on every change; returns the unsubscribe function. */
  subscribe(listener: AppStateListener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<AppStateSnapshot>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}
