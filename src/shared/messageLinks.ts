// Links to a room or a message in the desktop app: parley://rooms/<roomId> and
// parley://rooms/<roomId>/messages/<messageId>. The OS hands them to the app (registered
// as the scheme's handler); "Copy link" on a message makes them. The web build's links
// are the page's address with #/rooms/... (src/renderer/platform/webBridge.ts).

export const PARLEY_SCHEME = 'parley';

export interface RoomLink {
  roomId: string;
  messageId?: string;
}

const ID = '[0-9a-f]{24}';
// parley://rooms/<id>[/messages/<id>][/], nothing else (no query, no fragment, no user or port).
const PARLEY_LINK = new RegExp(`^${PARLEY_SCHEME}://rooms/(${ID})(?:/messages/(${ID}))?/?$`, 'i');

/** The desktop link to a message. */
export function parleyMessageLink(roomId: string, messageId: string): string {
  return `${PARLEY_SCHEME}://rooms/${roomId}/messages/${messageId}`;
}

/** The room and message a parley:// link names, or null for anything else. */
export function parseParleyLink(raw: string): RoomLink | null {
  if (raw.length > 200) return null;
  const match = PARLEY_LINK.exec(raw.trim());
  if (!match) return null;
  const roomId = match[1]!.toLowerCase();
  return match[2] ? { roomId, messageId: match[2].toLowerCase() } : { roomId };
}

/** The parley:// link among a process's arguments (Windows and Linux pass it so), if any. */
export function parleyLinkInArgs(args: readonly string[]): string | null {
  return args.find((arg) => arg.toLowerCase().startsWith(`${PARLEY_SCHEME}://`)) ?? null;
}
