// Runs in: the renderer. Unread counts as text. Apart from format.ts, whose date
// formatters are built when it loads (~20 ms of ICU set-up for the first), so that the
// web bridge, which needs only this, keeps that out of the entry: it runs while the views'
// chunk loads instead of before the session starts.
import { UNREAD_CAP } from '../../shared/contractValues';

/** Unread badge and title text; the server stops counting at UNREAD_CAP ("999+"). */
export const formatUnread = (count: number): string => (count >= UNREAD_CAP ? `${UNREAD_CAP}+` : String(count));
