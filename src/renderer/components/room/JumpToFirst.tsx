// Runs in: the renderer. "Jump to first message", in the room header (never over a
// message): shown while the room's first message is not in the history window, it
// replaces the window with the room's first page (one request, app/history.ts).
import { useState } from 'react';
import { useChatSession } from '../../session/context';
import { selectTimeline, useMessagesStore } from '../../stores/messages';
import { Icon } from '../common/Icon';

export function JumpToFirst({ roomId }: { roomId: string }) {
  const loaded = useMessagesStore((s) => selectTimeline(roomId)(s).loaded);
  const hasOlder = useMessagesStore((s) => selectTimeline(roomId)(s).hasOlder);
  // Seqs start at 1: holding seq 1 is holding the start, whatever the last page said.
  const holdsFirst = useMessagesStore((s) => selectTimeline(roomId)(s).messages[0]?.seq === 1);
  const [jumping, setJumping] = useState(false);
  const chat = useChatSession();
  if (!loaded || !hasOlder || holdsFirst) return null;
  const jump = async () => {
    setJumping(true);
    await chat.history.jumpToFirst(roomId);
    setJumping(false);
  };
  return (
    <button type="button" className="button button-small jump-first" onClick={() => void jump()} disabled={jumping}>
      <Icon name="arrowUp" size={14} />
      {jumping ? 'Loading the first messages…' : 'Jump to first message'}
    </button>
  );
}
