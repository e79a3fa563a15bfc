// Runs in: the Electron main process (pure: no Electron import).
// Keeps the tray in step with the app state: the numbered icon, the tooltip with the
// total, and the menu. Only what changed is pushed to the tray, because rebuilding a
// menu makes some Linux trays flicker.
import type { PageStateMirror } from './pageState.js';
import type { TrayPort } from './ports.js';
import { trayMenuItems } from './trayMenu.js';
import { trayIconFor, trayToolTip, unreadTotal } from './unread.js';

export function presentTray(state: PageStateMirror, tray: TrayPort): () => void {
  let icon: string | undefined;
  let toolTip: string | undefined;
  let menu: string | undefined;
  return state.subscribe(({ session, unread }) => {
    const total = unreadTotal(unread);
    const nextIcon = trayIconFor(total, session);
    if (nextIcon !== icon) tray.setImage((icon = nextIcon));
    const nextToolTip = trayToolTip(total, session);
    if (nextToolTip !== toolTip) tray.setToolTip((toolTip = nextToolTip));
    const items = trayMenuItems(unread, session);
    const key = JSON.stringify(items);
    if (key !== menu) {
      menu = key;
      tray.setMenu(items);
    }
  });
}
