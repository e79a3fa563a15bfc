// Runs in: the Electron main process (no Electron import, so unit tests can use it).
// Named loggers for main-process modules: one line per event on stdout/stderr,
// prefixed with the module's name, plus `once` for warnings that must not repeat.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** Logs a warning the first time a given key is seen, never again from this logger. */
  warnOnce(key: string, message: string): void;
}

export function createLogger(name: string, sink: Pick<Console, 'log' | 'warn' | 'error'> = console): Logger {
  const warnedKeys = new Set<string>();
  const prefix = `[parley:${name}]`;
  return {
    info: (message) => sink.log(`${prefix} ${message}`),
    warn: (message) => sink.warn(`${prefix} ${message}`),
    error: (message, error) => (error === undefined ? sink.error(`${prefix} ${message}`) : sink.error(`${prefix} ${message}`, error)),
    warnOnce(key, message) {
      if (warnedKeys.has(key)) return;
      warnedKeys.add(key);
      sink.warn(`${prefix} ${message}`);
    },
  };
}
