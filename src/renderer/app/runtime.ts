// Runs in: the renderer. What exists while someone is signed in: their session, the REST
// client and the live connection. Created by app/session.ts, dropped on sign-out.
import type { ParleyBridge, StoredSession } from '../../shared/bridge';
import type { ApiClient } from '../api/client';
import type { ParleySocket } from '../realtime/socket';

export interface Runtime {
  session: StoredSession;
  api: ApiClient;
  socket: ParleySocket;
  bridge: ParleyBridge;
}

let current: Runtime | null = null;

export const getRuntime = (): Runtime | null => current;
export function setRuntime(runtime: Runtime | null): void {
  current = runtime;
}

/** The window is visible and has keyboard focus: what the user sees counts as read. */
export function isWindowFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}
