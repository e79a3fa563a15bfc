// Runs in: the Electron main process (pure: no Electron import).
// The main process's mirror of the page's state, as the renderer reports it over IPC
// (the page is the source; this copy is never edited here): whether someone is signed in,
// the unread counts and which room is on screen. Features (tray,
// badge, notifications) read it or subscribe to changes instead of asking the window.
import type { SessionState, UnreadSummary } from '../shared/bridge.js';

export interface PageState {
  session: SessionState;
  unread: UnreadSummary;
  activeRoomId: string | null;
}

export type PageStateListener = (state: PageState) => void;

export const NO_UNREAD: UnreadSummary = { total: 0, rooms: [] };

export class PageStateMirror {
  private state: PageState;
  private readonly listeners = new Set<PageStateListener>();

  constructor(initial: Partial<PageState> = {}) {
    this.state = { session: 'signed-out', unread: NO_UNREAD, activeRoomId: null, ...initial };
  }

  get snapshot(): PageState {
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
  subscribe(listener: PageStateListener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<PageState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}
