// Runs in: the Electron main process (pure: no Electron import).
// parley:// links from the OS: on first start (in the arguments on Windows and Linux,
// as 'open-url' on macOS) and while running (a second instance's arguments, or
// 'open-url'). A link brings the window forward and asks the page to open the room at
// the message; one that comes before anyone is signed in waits until someone is (the
// page cannot open a room before), and a newer link replaces a waiting one.
import { parseParleyLink, PARLEY_SCHEME, type RoomLink } from '../shared/messageLinks.js';
import type { Logger } from './log.js';
import type { ProtocolClientPort, WindowPort } from './ports.js';
import type { PageStateMirror } from './pageState.js';

export class DeepLinks {
  private waiting: RoomLink | null = null;

  constructor(private readonly deps: { window: WindowPort; state: PageStateMirror; log: Logger }) {
    deps.state.subscribe(({ session }) => {
      if (session === 'signed-in' && this.waiting) this.deliver(this.waiting);
    });
  }

  /** A link the OS handed over; anything that is not a parley:// room or message link is ignored. */
  received(raw: string): void {
    const link = parseParleyLink(raw);
    if (!link) {
      this.deps.log.warn(`ignored a link that is not a Parley room or message link (${raw.slice(0, 80)})`);
      return;
    }
    this.deps.window.reveal();
    if (this.deps.state.snapshot.session === 'signed-in') this.deliver(link);
    else this.waiting = link;
  }

  private deliver(link: RoomLink): void {
    this.waiting = null;
    if (link.messageId) this.deps.window.send('room:open', link.roomId, link.messageId);
    else this.deps.window.send('room:open', link.roomId);
  }
}

/**
 * Makes this app the OS's handler for parley:// links. Run from source (`electron .`,
 * process.defaultApp) Electron itself is the executable, so the app's path goes along as
 * an argument, or the OS would start a bare Electron.
 */
export function registerParleyScheme(
  port: ProtocolClientPort,
  run: { defaultApp: boolean; execPath: string; appPath: string | undefined },
  log: Logger,
): boolean {
  const registered =
    run.defaultApp && run.appPath
      ? port.setAsDefaultProtocolClient(PARLEY_SCHEME, run.execPath, [run.appPath])
      : port.setAsDefaultProtocolClient(PARLEY_SCHEME);
  if (!registered) log.warn('could not register as the handler of parley:// links');
  return registered;
}
