// Runs in: the renderer. "Copy link" on a message: the desktop app copies
// parley://rooms/<roomId>/messages/<messageId> (the OS hands it back to the app), the web
// build this page's address with #/rooms/<roomId>/messages/<messageId>. Both open the
// room at that message for anyone who is a member.
import { useEffect, useState } from 'react';
import { parleyMessageLink } from '../../../shared/messageLinks';
import { getBridge } from '../../platform/bridge';
import { messageLink } from '../../platform/webBridge';
import { Icon } from '../common/Icon';

/** The link to a message for the host this page runs in. */
export function linkToMessage(roomId: string, messageId: string): string {
  if (getBridge().kind === 'desktop') return parleyMessageLink(roomId, messageId);
  return `${window.location.origin}${window.location.pathname}${window.location.search}${messageLink(roomId, messageId)}`;
}

const COPIED_MS = 2_000;

export function CopyLinkButton({ roomId, messageId }: { roomId: string; messageId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), COPIED_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(linkToMessage(roomId, messageId)).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <span className="message-actions">
      <button type="button" className="message-action" onClick={copy} title="Copy link to this message">
        <Icon name="link" size={14} />
        <span>Copy link</span>
      </button>
      <span role="status" className="message-action-status">
        {state === 'copied' ? 'Link copied' : state === 'failed' ? 'Could not copy the link' : ''}
      </span>
    </span>
  );
}
