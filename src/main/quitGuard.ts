// Runs in: the Electron main process (pure).
// Closing the window hides it to the tray and keeps the session; only a real quit (tray
// menu Quit, Cmd+Q, the OS logging out) lets the window close.
import type { WindowPort } from './ports.js';

export class QuitGuard {
  private quitting = false;

  get isQuitting(): boolean {
    return this.quitting;
  }

  /** app 'before-quit': from now on windows really close. */
  quitRequested(): void {
    this.quitting = true;
  }

  /** BrowserWindow 'close'. */
  windowClosing(event: { preventDefault(): void }, window: Pick<WindowPort, 'hide'>): void {
    if (this.quitting) return;
    event.preventDefault();
    window.hide();
  }
}
