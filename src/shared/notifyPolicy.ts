// When a new message deserves a desktop notification. Pure, so the Electron main
// process and the web build's bridge decide the same way and it is unit-tested once.
import type { ClientSettings, IncomingMessage } from './bridge.js';

export interface AttentionState {
  /** The room whose chat view is open, if any. */
  activeRoomId: string | null;
  /** The window is visible and has keyboard focus. */
  windowFocused: boolean;
}

export function shouldNotify(event: IncomingMessage, settings: ClientSettings, attention: AttentionState): boolean {
  if (!settings.notificationsEnabled) return false;
  if (event.message.authorId === event.selfUserId) return false;
  if (settings.mutedRoomIds.includes(event.message.roomId)) return false;
  // Looking right at the room: the message is already on screen.
  return !(attention.windowFocused && attention.activeRoomId === event.message.roomId);
}

/** Notification text: "alice in #general" over the first line of the message, shortened. */
export function notificationContent(event: IncomingMessage): { title: string; body: string } {
  const firstLine = event.message.text.split('\n', 1)[0] ?? '';
  const body = firstLine.length > 140 ? `${firstLine.slice(0, 139)}…` : firstLine;
  return { title: `${event.message.authorUsername} in #${event.roomName}`, body };
}
