// The tray: the count drawn in the icon, the total in the tooltip, the menu's lines;
// and the dock/taskbar badge.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UnreadSummary } from '../../../src/shared/bridge.js';
import { presentBadge } from '../../../src/main/badge.js';
import { PageStateMirror } from '../../../src/main/pageState.js';
import { presentTray } from '../../../src/main/tray.js';
import { MAX_ROOM_LINES, trayMenuItems, type TrayMenuItem } from '../../../src/main/trayMenu.js';
import { TRAY_ICON_NAMES, badgeCountFor, trayIconFor, trayToolTip, unreadTotal, type TrayIconName } from '../../../src/main/unread.js';

const summary = (rooms: Array<[string, string, number]>): UnreadSummary => ({
  total: rooms.reduce((sum, [, , count]) => sum + count, 0),
  rooms: rooms.map(([roomId, name, count]) => ({ roomId, name, count })),
});
const labels = (items: TrayMenuItem[]) => items.map((item) => (item.kind === 'separator' ? '---' : item.label));

describe('tray icon', () => {
  it.each([
    [0, 'tray'],
    [1, 'tray-1'],
    [5, 'tray-5'],
    [9, 'tray-9'],
    [10, 'tray-9plus'],
    [250, 'tray-9plus'],
  ] as const)('%i unread while signed in -> %s', (total, icon) => {
    expect(trayIconFor(total, 'signed-in')).toBe(icon);
  });

  it('shows the signed-out variant when signed out or expired, whatever the count', () => {
    expect(trayIconFor(3, 'signed-out')).toBe('tray-signed-out');
    expect(trayIconFor(0, 'expired')).toBe('tray-signed-out');
  });

  it('trusts no odd totals', () => {
    expect(unreadTotal({ total: -3, rooms: [] })).toBe(0);
    expect(unreadTotal({ total: 2.7, rooms: [] })).toBe(2);
    expect(unreadTotal({ total: Number.NaN, rooms: [] })).toBe(0);
  });

  it('has a 32x32 PNG and a 64x64 @2x PNG in resources/tray for every icon it may show', () => {
    for (const name of TRAY_ICON_NAMES) {
      expect(pngSize(path.join('resources', 'tray', `${name}.png`)), name).toEqual([32, 32]);
      expect(pngSize(path.join('resources', 'tray', `${name}@2x.png`)), name).toEqual([64, 64]);
    }
  });

  it('has a 512x512 app icon for electron-builder', () => {
    expect(pngSize(path.join('resources', 'icon.png'))).toEqual([512, 512]);
  });
});

describe('tray tooltip and badge', () => {
  it('puts the total in the tooltip', () => {
    expect(trayToolTip(0, 'signed-in')).toBe('Parley — no unread messages');
    expect(trayToolTip(1, 'signed-in')).toBe('Parley — 1 unread message');
    expect(trayToolTip(42, 'signed-in')).toBe('Parley — 42 unread messages');
    expect(trayToolTip(4, 'expired')).toBe('Parley — session ended, sign in again');
    expect(trayToolTip(4, 'signed-out')).toBe('Parley — signed out');
  });

  it('badges the total only while signed in', () => {
    expect(badgeCountFor(7, 'signed-in')).toBe(7);
    expect(badgeCountFor(7, 'expired')).toBe(0);
  });
});

describe('tray menu', () => {
  it('lists Open Parley, a line per room with unread messages, Log out and Quit', () => {
    const items = trayMenuItems(
      summary([
        ['r1', 'general', 3],
        ['r2', 'quiet', 0],
        ['r3', 'R&D', 120],
      ]),
      'signed-in',
    );
    expect(labels(items)).toEqual(['Open Parley', '---', '#general (3)', '#R&&D (99+)', '---', 'Log out', 'Quit']);
    expect(items.filter((item) => item.kind === 'item').map((item) => item.action)).toEqual([
      { type: 'open' },
      { type: 'open-room', roomId: 'r1' },
      { type: 'open-room', roomId: 'r3' },
      { type: 'logout' },
      { type: 'quit' },
    ]);
  });

  it('has no room lines when nothing is unread', () => {
    expect(labels(trayMenuItems(summary([]), 'signed-in'))).toEqual(['Open Parley', '---', 'Log out', 'Quit']);
  });

  it('offers no Log out when nobody is signed in', () => {
    expect(labels(trayMenuItems(summary([['r1', 'general', 3]]), 'expired'))).toEqual(['Open Parley', '---', 'Quit']);
  });

  it('lists rooms that mention you first, with the mention count', () => {
    const rooms: UnreadSummary = {
      total: 9,
      rooms: [
        { roomId: 'r1', name: 'general', count: 3, mentions: 0 },
        { roomId: 'r2', name: 'random', count: 2 },
        { roomId: 'r3', name: 'design', count: 3, mentions: 1 },
        { roomId: 'r4', name: 'ops', count: 1, mentions: 120 },
      ],
    };
    expect(labels(trayMenuItems(rooms, 'signed-in'))).toEqual([
      'Open Parley',
      '---',
      '#design (3), 1 mention',
      '#ops (1), 99+ mentions',
      '#general (3)',
      '#random (2)',
      '---',
      'Log out',
      'Quit',
    ]);
  });

  it('summarises rooms beyond the first ten in one line', () => {
    const many = summary(Array.from({ length: MAX_ROOM_LINES + 3 }, (_, i): [string, string, number] => [`r${i}`, `room${i}`, 1]));
    const items = trayMenuItems(many, 'signed-in');
    expect(items.filter((item) => item.kind === 'item' && item.action.type === 'open-room')).toHaveLength(MAX_ROOM_LINES);
    expect(labels(items)).toContain('…and 3 more rooms with unread messages');
  });
});

describe('presentTray and presentBadge', () => {
  it('pushes the icon, tooltip and menu as the state changes, and only what changed', () => {
    const state = new PageStateMirror();
    const calls: string[] = [];
    presentTray(state, {
      setImage: (icon: TrayIconName) => calls.push(`image ${icon}`),
      setToolTip: (text) => calls.push(`tooltip ${text}`),
      setMenu: (items) => calls.push(`menu ${labels(items).join('|')}`),
    });
    expect(calls.splice(0)).toEqual(['image tray-signed-out', 'tooltip Parley — signed out', 'menu Open Parley|---|Quit']);

    state.setSession('signed-in');
    expect(calls.splice(0)).toEqual(['image tray', 'tooltip Parley — no unread messages', 'menu Open Parley|---|Log out|Quit']);

    state.setUnread(summary([['r1', 'general', 2]]));
    expect(calls.splice(0)).toEqual(['image tray-2', 'tooltip Parley — 2 unread messages', 'menu Open Parley|---|#general (2)|---|Log out|Quit']);

    state.setActiveRoom('r1');
    expect(calls).toEqual([]);

    state.setSession('expired');
    expect(calls.splice(0)).toEqual(['image tray-signed-out', 'tooltip Parley — session ended, sign in again', 'menu Open Parley|---|Quit']);
  });

  it('sets the badge to the total, and clears it on sign-out', () => {
    const state = new PageStateMirror({ session: 'signed-in' });
    const counts: number[] = [];
    presentBadge(state, { setCount: (count) => counts.push(count) });
    state.setUnread(summary([['r1', 'general', 4]]));
    state.setUnread(summary([['r1', 'general', 4]]));
    state.setSession('signed-out');
    expect(counts).toEqual([0, 4, 0]);
  });
});

function pngSize(file: string): [number, number] | null {
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  if (bytes.toString('latin1', 1, 4) !== 'PNG') return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}
