// When a new message deserves a desktop notification. Pure, so the Electron main
// process and the web build's bridge decide the same way and it is unit-tested once.
import type { ClientSettings, IncomingMessage } from './bridge.js';

export interface AttentionState {
  /** The room whose chat view is open, if any. */
  activeRoomId: string | null;
  /** The window is visible and has keyboard focus. */
  windowFocused: boolean;
}

/** The message @mentions the signed-in user (the server decided, see src/shared/mentions.ts). */
export const mentionsMe = (event: IncomingMessage): boolean => event.message.mentions?.includes(event.selfUserId) ?? false;

export function shouldNotify(event: IncomingMessage, settings: ClientSettings, attention: AttentionState): boolean {
  if (!settings.notificationsEnabled) return false;
  if (event.message.authorId === event.selfUserId) return false;
  // Muting a room quiets its chatter, not someone calling you by name.
  if (settings.mutedRoomIds.includes(event.message.roomId) && !mentionsMe(event)) return false;
  // Looking right at the room: the message is already on screen.
  return !(attention.windowFocused && attention.activeRoomId === event.message.roomId);
}

/** Notification text: "alice in #general" (or "alice mentioned you in #general") over the first line of the message, shortened. */
export function notificationContent(event: IncomingMessage): { title: string; body: string } {
  const firstLine = event.message.text.split('\n', 1)[0] ?? '';
  const body = firstLine.length > 140 ? `${firstLine.slice(0, 139)}…` : firstLine;
  const who = mentionsMe(event) ? `${event.message.authorUsername} mentioned you` : event.message.authorUsername;
  return { title: `${who} in #${event.roomName}`, body };
}
