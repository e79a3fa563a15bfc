// Runs in: the renderer. The room list's "@" badge: unread messages that mention you,
// counted apart from unread (the server's mentionCount, kept live by message:new).
import { formatUnread } from '../../lib/unread';

export function MentionBadge({ count }: { count: number | undefined }) {
  if (!count) return null;
  const label = count === 1 ? '1 mention' : `${formatUnread(count)} mentions`;
  return (
    <span className="badge badge-mention" aria-label={label} title={label}>
      @{count > 1 ? formatUnread(count) : ''}
    </span>
  );
}
