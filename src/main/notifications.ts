// Runs in: the Electron main process (pure: no Electron import).
// Native notifications for arriving messages. The shared policy (src/shared/notifyPolicy)
// decides; the window says whether the user is looking at it. Clicking a notification
// brings the window back and opens that room in the renderer.
import type { ClientSettings, IncomingMessage } from '../shared/bridge.js';
import { notificationContent, shouldNotify } from '../shared/notifyPolicy.js';
import type { Logger } from './log.js';
import type { NotificationHandle, NotificationPort, WindowPort } from './ports.js';
import type { PageStateMirror } from './pageState.js';

export interface NotifierDeps {
  notifications: NotificationPort;
  window: WindowPort;
  state: PageStateMirror;
  settings: () => ClientSettings;
  log: Logger;
}

/** Notifications kept referenced so their click handlers survive garbage collection. */
const MAX_LIVE = 20;
/** Message ids already notified, so a re-delivered message (reconnect catch-up) is quiet. */
const MAX_REMEMBERED_IDS = 500;

export class Notifier {
  private readonly live = new Set<NotificationHandle>();
  private readonly notifiedIds = new Set<string>();

  constructor(private readonly deps: NotifierDeps) {}

  /** Returns whether a notification was shown. */
  messageArrived(event: IncomingMessage): boolean {
    const { notifications, window, state, settings, log } = this.deps;
    if (this.notifiedIds.has(event.message.id)) return false;
    const attention = { activeRoomId: state.snapshot.activeRoomId, windowFocused: window.isAttentive() };
    if (!shouldNotify(event, settings(), attention)) return false;
    if (!notifications.isSupported()) {
      log.warnOnce('notifications-unsupported', 'this system has no notification service: message notifications are off');
      return false;
    }
    this.remember(event.message.id);
    const notification = notifications.create(notificationContent(event));
    this.keep(notification);
    const { roomId, id: messageId } = event.message;
    notification.onClick(() => {
      this.live.delete(notification);
      window.reveal();
      // The room opens at this message, wherever the conversation has gone since.
      window.send('room:open', roomId, messageId);
    });
    notification.onClose(() => this.live.delete(notification));
    notification.show();
    return true;
  }

  private keep(notification: NotificationHandle): void {
    this.live.add(notification);
    if (this.live.size > MAX_LIVE) {
      const oldest = this.live.values().next().value;
      if (oldest) this.live.delete(oldest);
    }
  }

  private remember(messageId: string): void {
    this.notifiedIds.add(messageId);
    if (this.notifiedIds.size > MAX_REMEMBERED_IDS) {
      const oldest = this.notifiedIds.values().next().value;
      if (oldest !== undefined) this.notifiedIds.delete(oldest);
    }
  }
}
