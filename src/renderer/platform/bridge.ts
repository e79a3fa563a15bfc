// Runs in: the renderer. The one way to the host: window.parley (see src/shared/bridge.ts).
import type { ParleyBridge } from '../../shared/bridge';

let override: ParleyBridge | null = null;

export function getBridge(): ParleyBridge {
  const bridge = override ?? window.parley;
  if (!bridge) throw new Error('No host bridge: window.parley is missing.');
  return bridge;
}

/** For tests: use this bridge instead of window.parley. */
export function setBridgeForTests(bridge: ParleyBridge | null): void {
  override = bridge;
}

export const DEFAULT_SERVER_URL: string = import.meta.env.VITE_DEFAULT_SERVER_URL || 'http://127.0.0.1:4000';
