// Runs in: the renderer. The signed-in app: the sidebar with rooms, and the open room.
import { useEffect } from 'react';
import { selectRooms, useRoomsStore } from '../../stores/rooms';
import { selectSelectedRoomId, selectViewNotice, useViewStore } from '../../stores/view';
import { useChatSession } from '../../session/context';
import { Icon } from '../common/Icon';
import { RoomView } from '../room/RoomView';
import { Sidebar } from './Sidebar';

export function Shell() {
  const selectedRoomId = useViewStore(selectSelectedRoomId);
  useRoomKeyboardShortcuts();
  return (
    <div className="shell">
      <Sidebar />
      <main className="main">{selectedRoomId ? <RoomView key={selectedRoomId} roomId={selectedRoomId} /> : <EmptyState />}</main>
    </div>
  );
}

function EmptyState() {
  const notice = useViewStore(selectViewNotice);
  const clearNotice = useViewStore((s) => s.clearNotice);
  return (
    <div className="empty-state">
      {notice && (
        <div role="alert" className="banner banner-warning empty-notice">
          <span>{notice}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={clearNotice}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      <div className="empty-illustration" aria-hidden="true">
        <Icon name="chat" size={40} />
      </div>
      <p className="empty-title">Pick a room or create one</p>
      <p className="empty-hint">Rooms you belong to are listed on the left. Alt+↑ and Alt+↓ move between them.</p>
    </div>
  );
}

/** Alt+Up / Alt+Down: previous / next room, from anywhere. */
function useRoomKeyboardShortcuts() {
  const chat = useChatSession();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
      if (document.querySelector('dialog[open]')) return;
      const rooms = selectRooms(useRoomsStore.getState());
      if (rooms.length === 0) return;
      event.preventDefault();
      const current = rooms.findIndex((r) => r.id === useViewStore.getState().selectedRoomId);
      const step = event.key === 'ArrowUp' ? -1 : 1;
      const next = current === -1 ? (step > 0 ? 0 : rooms.length - 1) : (current + step + rooms.length) % rooms.length;
      chat.navigation.openRoom(rooms[next]!.id, 'chat');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [chat]);
}
