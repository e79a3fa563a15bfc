// Runs in: the Electron main process (pure: no Electron import).
// Which tray icon, tooltip and badge number an unread summary and session state mean.
// The icons are pre-rendered PNGs in resources/ (scripts/make-icons.ts draws them).
import type { SessionState, UnreadSummary } from '../shared/bridge.js';

type Digit = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
export type TrayIconName = 'tray' | `tray-${Digit}` | 'tray-9plus' | 'tray-signed-out';

/** Every icon file the tray may ask for, so a test can check each one exists. */
export const TRAY_ICON_NAMES: readonly TrayIconName[] = [
  'tray',
  'tray-1',
  'tray-2',
  'tray-3',
  'tray-4',
  'tray-5',
  'tray-6',
  'tray-7',
  'tray-8',
  'tray-9',
  'tray-9plus',
  'tray-signed-out',
];

/** A count the tray can trust: a whole number, never negative. */
export function unreadTotal(summary: UnreadSummary): number {
  return Number.isFinite(summary.total) ? Math.max(0, Math.floor(summary.total)) : 0;
}

export function trayIconFor(total: number, session: SessionState): TrayIconName {
  if (session !== 'signed-in') return 'tray-signed-out';
  if (total <= 0) return 'tray';
  if (total > 9) return 'tray-9plus';
  return `tray-${total as Digit}`;
}

export function trayToolTip(total: number, session: SessionState): string {
  if (session === 'expired') return 'Parley — session ended, sign in again';
  if (session === 'signed-out') return 'Parley — signed out';
  if (total === 0) return 'Parley — no unread messages';
  return `Parley — ${total} unread message${total === 1 ? '' : 's'}`;
}

/** The dock/launcher badge shows nothing when signed out: stale counts would mislead. */
export function badgeCountFor(total: number, session: SessionState): number {
  return session === 'signed-in' ? total : 0;
}
