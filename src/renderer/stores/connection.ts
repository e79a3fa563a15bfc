// Runs in: the renderer. The live connection's state, for the status line.
import { create } from 'zustand';

/**
 * idle: signed out. connecting: the first attempt after signing in. connected: live.
 * reconnecting: the connection dropped (or never came up) and is being retried.
 * offline: the browser says there is no network at all.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface ConnectionState {
  status: ConnectionStatus;
  setStatus(status: ConnectionStatus): void;
}

export const useConnectionStore = create<ConnectionState>()((set) => ({
  status: 'idle',
  setStatus: (status) => set({ status }),
}));

export const selectConnectionStatus = (s: ConnectionState) => s.status;

/** The status line's text; null while connected (or not trying). */
export function connectionLabel(status: ConnectionStatus): string | null {
  if (status === 'reconnecting') return 'Reconnecting…';
  if (status === 'offline') return 'Offline';
  return null;
}
