// Runs in: the Electron main process (pure: no Electron import).
// Turns "the machine resumed from sleep" and "the network came back" into one wake
// signal for the renderer (reconnect the socket and catch up now, not at the next
// back-off retry). Sources that fire together (resume, then online) wake it once.
export interface WakeMonitorOptions {
  emit: (reason: WakeReason) => void;
  now?: () => number;
  /** Wakes closer together than this are merged into the first. */
  minIntervalMs?: number;
}

export type WakeReason = 'resume' | 'online';

export class WakeMonitor {
  private online: boolean | undefined;
  private lastWake = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly minIntervalMs: number;

  constructor(private readonly options: WakeMonitorOptions) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 2000;
  }

  /** powerMonitor 'resume' (and 'unlock-screen'). */
  resumed(): void {
    this.wake('resume');
  }

  /** A poll of net.isOnline(): only an offline -> online change wakes. */
  networkStatus(online: boolean): void {
    const was = this.online;
    this.online = online;
    if (was === false && online) this.wake('online');
  }

  /** The page saw its `online` event. */
  pageOnline(): void {
    this.online = true;
    this.wake('online');
  }

  private wake(reason: WakeReason): void {
    const now = this.now();
    if (now - this.lastWake < this.minIntervalMs) return;
    this.lastWake = now;
    this.options.emit(reason);
  }
}
