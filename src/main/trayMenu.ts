// Runs in: the Electron main process (pure: no Electron import).
// What the tray menu lists: Open Parley, one line per room with unread messages (which
// opens that room; rooms where you are mentioned first), Log out while signed in, and Quit. src/main/electronPorts.ts turns
// these items into an Electron Menu.
import type { SessionState, UnreadRoom, UnreadSummary } from '../shared/bridge.js';

export type TrayAction = { type: 'open' } | { type: 'open-room'; roomId: string } | { type: 'logout' } | { type: 'quit' };

export type TrayMenuItem = { kind: 'item'; label: string; action: TrayAction } | { kind: 'separator' } | { kind: 'note'; label: string };

/** More rooms than this are summarised in one line, so the menu stays on screen. */
export const MAX_ROOM_LINES = 10;

export function trayMenuItems(summary: UnreadSummary, session: SessionState): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'item', label: 'Open Parley', action: { type: 'open' } }];
  if (session === 'signed-in') {
    // Rooms that mention you first, otherwise in the order given (the room list's).
    const mentioned = (room: UnreadRoom) => ((room.mentions ?? 0) > 0 ? 0 : 1);
    const rooms = summary.rooms.filter((room) => room.count > 0).sort((a, b) => mentioned(a) - mentioned(b));
    if (rooms.length > 0) {
      items.push({ kind: 'separator' });
      for (const room of rooms.slice(0, MAX_ROOM_LINES)) {
        items.push({ kind: 'item', label: roomLabel(room.name, room.count, room.mentions ?? 0), action: { type: 'open-room', roomId: room.roomId } });
      }
      const hidden = rooms.length - MAX_ROOM_LINES;
      if (hidden > 0) items.push({ kind: 'note', label: `…and ${hidden} more room${hidden === 1 ? '' : 's'} with unread messages` });
    }
    items.push({ kind: 'separator' }, { kind: 'item', label: 'Log out', action: { type: 'logout' } });
  } else {
    items.push({ kind: 'separator' });
  }
  items.push({ kind: 'item', label: 'Quit', action: { type: 'quit' } });
  return items;
}

function roomLabel(name: string, count: number, mentions: number): string {
  // '&' is a mnemonic marker in menu labels on Windows and Linux; double it to show it.
  const safeName = name.replaceAll('&', '&&');
  const counted = `#${safeName} (${count > 99 ? '99+' : count})`;
  return mentions > 0 ? `${counted}, ${mentions > 99 ? '99+' : mentions} mention${mentions === 1 ? '' : 's'}` : counted;
}
