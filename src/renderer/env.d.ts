// Runs in: the renderer (types only).
import type { ParleyBridge } from '../shared/bridge';

declare global {
  interface Window {
    /** The host bridge: provided by the Electron preload, or installed by the web entry. */
    parley?: ParleyBridge;
  }
  interface ImportMetaEnv {
    /** The server URL the sign-in form starts with (set at build time). */
    readonly VITE_DEFAULT_SERVER_URL?: string;
  }
}

export {};
