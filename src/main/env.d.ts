// Runs in: the Electron main process (types only).
// Build-time values electron-vite puts in import.meta.env (VITE_* and MAIN_VITE_* variables).
interface ImportMetaEnv {
  /**
   * The backend a release build talks to when PARLEY_SERVER_URL is not set at run time.
   * The same variable gives the renderer's sign-in form its default Server URL.
   */
  readonly VITE_DEFAULT_SERVER_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
