// Runs in: the renderer. The Chat tab: history, the composer, and who is here now.
import { useShallow } from 'zustand/react/shallow';
import type { Viewer } from '../../../shared/contract';
import { selectConnectionStatus, useConnectionStore } from '../../stores/connection';
import { useEffect } from 'react';
import { useChatSession } from '../../session/context';
import { selectViewers, usePresenceStore } from '../../stores/presence';
import { selectDetail, useRoomsStore } from '../../stores/rooms';
import { selectSelfId, useSessionStore } from '../../stores/session';
import { Avatar } from '../common/Avatar';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { TypingLine } from './TypingLine';

export function ChatPanel({ roomId, roomName }: { roomId: string; roomName: string }) {
  // Who the room's members are: mentions of them are highlighted, and "@" suggests them.
  const chat = useChatSession();
  const hasMembers = useRoomsStore(selectDetail(roomId)) !== undefined;
  useEffect(() => {
    if (!hasMembers) chat.rooms.loadDetail(roomId).catch(() => {});
  }, [chat, roomId, hasMembers]);
  return (
    <div className="chat">
      <div className="chat-main">
        <MessageList roomId={roomId} roomName={roomName} />
        <TypingLine roomId={roomId} />
        <Composer roomId={roomId} roomName={roomName} />
      </div>
      <HereNow roomId={roomId} />
    </div>
  );
}

function HereNow({ roomId }: { roomId: string }) {
  const viewers = usePresenceStore(useShallow(selectViewers(roomId)));
  const selfId = useSessionStore(selectSelfId);
  // Without a connection nobody's presence is known (the list was cleared when it dropped).
  const connected = useConnectionStore(selectConnectionStatus) === 'connected';
  const sorted: Viewer[] = [...viewers].sort((a, b) => (a.userId === selfId ? -1 : b.userId === selfId ? 1 : a.username.localeCompare(b.username)));
  return (
    <aside className="here-now" aria-label="Here now">
      <h3 className="here-now-title">
        Here now <span className="count">{viewers.length}</span>
      </h3>
      {!connected ? (
        <p className="here-now-empty">Not connected: who is here is not known.</p>
      ) : sorted.length === 0 ? (
        <p className="here-now-empty">Nobody else is looking right now.</p>
      ) : (
        <ul className="here-now-list">
          {sorted.map((v) => (
            <li key={v.userId}>
              <span className="presence-avatar">
                <Avatar name={v.username} size="sm" />
                <span className="online-dot" aria-hidden="true" />
              </span>
              <span className="here-now-name" dir="auto" title={v.username}>
                {v.username}
              </span>
              {v.userId === selfId && <span className="you">(you)</span>}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
