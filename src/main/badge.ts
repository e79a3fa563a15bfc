// Runs in: the Electron main process (pure: no Electron import).
// Mirrors the unread total on the dock/taskbar/launcher badge while signed in.
import type { PageStateMirror } from './pageState.js';
import type { BadgePort } from './ports.js';
import { badgeCountFor, unreadTotal } from './unread.js';

export function presentBadge(state: PageStateMirror, badge: BadgePort): () => void {
  let shown: number | undefined;
  return state.subscribe(({ session, unread }) => {
    const count = badgeCountFor(unreadTotal(unread), session);
    if (count !== shown) badge.setCount((shown = count));
  });
}
