// Runs in: the renderer. An open room: its name, the Chat and Manage tabs, and the panel.
import { lazy, Suspense, useRef, type KeyboardEvent } from 'react';
import { useChatSession } from '../../session/context';
import { selectRoom, useRoomsStore } from '../../stores/rooms';
import { selectTab, selectViewNotice, useViewStore, type RoomTab } from '../../stores/view';
import { Icon } from '../common/Icon';
import { ChatPanel } from './ChatPanel';
import { JumpToFirst } from './JumpToFirst';

// Loaded when the Manage tab is first opened: opening a room needs only the chat.
const ManagePanel = lazy(() => import('./ManagePanel').then((m) => ({ default: m.ManagePanel })));

const TABS: { id: RoomTab; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'manage', label: 'Manage' },
];

export function RoomView({ roomId }: { roomId: string }) {
  const room = useRoomsStore(selectRoom(roomId));
  const tab = useViewStore(selectTab);
  const notice = useViewStore(selectViewNotice);
  const clearNotice = useViewStore((s) => s.clearNotice);
  const chat = useChatSession();
  const setTab = (target: RoomTab) => chat.navigation.showTab(target);
  const tabRefs = useRef<Record<RoomTab, HTMLButtonElement | null>>({ chat: null, manage: null });

  if (!room) return null;

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TABS.findIndex((t) => t.id === tab);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    if (next === null) return;
    event.preventDefault();
    const target = TABS[next]!.id;
    setTab(target);
    tabRefs.current[target]?.focus();
  };

  return (
    <section className="room" aria-labelledby={`room-title-${roomId}`}>
      <header className="room-header">
        <div className="room-title">
          <h2 id={`room-title-${roomId}`}>
            <span className="room-title-hash" aria-hidden="true">
              #
            </span>
            <span className="room-title-name" dir="auto">
              {room.name}
            </span>
          </h2>
          <span className="room-meta">
            {room.memberCount} {room.memberCount === 1 ? 'member' : 'members'}
            {room.role === 'admin' && <span className="pill">admin</span>}
          </span>
        </div>
        {tab === 'chat' && <JumpToFirst roomId={roomId} />}
        <div role="tablist" className="tabs" aria-label={`${room.name} views`}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className="tab"
              onClick={() => setTab(t.id)}
              onKeyDown={onTabKey}
            >
              {t.label}
            </button>
          ))}
        </div>
      </header>
      {notice && (
        <div role="alert" className="banner banner-error room-notice">
          <Icon name="alert" size={16} />
          <span>{notice}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={clearNotice}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="room-panel">
        {tab === 'chat' ? (
          <ChatPanel roomId={roomId} roomName={room.name} />
        ) : (
          <Suspense fallback={null}>
            <ManagePanel roomId={roomId} />
          </Suspense>
        )}
      </div>
    </section>
  );
}
