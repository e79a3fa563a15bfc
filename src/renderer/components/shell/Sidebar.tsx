// Runs in: the renderer. The sidebar: brand and connection state, the room list with
// unread badges and previews, and the signed-in user with Settings and Log out.
import { lazy, Suspense, useState } from 'react';
import type { RoomSummary } from '../../../shared/contract';
import { formatListTime } from '../../lib/format';
import { formatUnread } from '../../lib/unread';
import { connectionLabel, selectConnectionStatus, useConnectionStore } from '../../stores/connection';
import { selectRooms, selectRoomsLoaded, useRoomsStore } from '../../stores/rooms';
import { selectSelfId, selectSelfName, useSessionStore } from '../../stores/session';
import { selectIsMuted, useSettingsStore } from '../../stores/settings';
import { selectSelectedRoomId, useViewStore } from '../../stores/view';
import { useChatSession, useClient } from '../../session/context';
import { Avatar } from '../common/Avatar';
import { Dialog } from '../common/Dialog';
import { Icon } from '../common/Icon';
import { MentionBadge } from './MentionBadge';
import { SettingsDialog } from './SettingsDialog';

// Loaded when first asked for, like the Manage tab (it validates with the contract's zod schema).
const CreateRoomDialog = lazy(() => import('./CreateRoomDialog').then((m) => ({ default: m.CreateRoomDialog })));

export function Sidebar() {
  const [dialog, setDialog] = useState<'create' | 'settings' | 'logout' | null>(null);
  const username = useSessionStore(selectSelfName);
  const client = useClient();
  const chat = useChatSession();
  // Unsent messages are dropped by logging out: ask first.
  const requestLogout = () => {
    if (chat.outbox.unsentCount() > 0) setDialog('logout');
    else void client.logout();
  };
  return (
    <div className="sidebar">
      <header className="sidebar-header">
        <div className="brand brand-small" aria-hidden="true">
          <span className="brand-mark">P</span>
          <span className="brand-name">Parley</span>
        </div>
        <ConnectionStatus />
      </header>

      <div className="sidebar-section-title">
        <span className="sidebar-label">Rooms</span>
        <button type="button" className="icon-button" aria-label="Create room" title="Create room" onClick={() => setDialog('create')}>
          <Icon name="plus" />
        </button>
      </div>
      <RoomList />

      <footer className="sidebar-footer">
        <div className="me">
          <Avatar name={username} />
          <div className="me-text">
            <span className="me-name" dir="auto">
              {username}
            </span>
            <span className="me-caption">Signed in</span>
          </div>
        </div>
        <button type="button" className="icon-button" aria-label="Settings" title="Settings" onClick={() => setDialog('settings')}>
          <Icon name="settings" />
        </button>
        <button type="button" className="icon-button" aria-label="Log out" title="Log out" onClick={requestLogout}>
          <Icon name="logout" />
        </button>
      </footer>

      {dialog === 'create' && (
        <Suspense fallback={null}>
          <CreateRoomDialog onClose={() => setDialog(null)} />
        </Suspense>
      )}
      {dialog === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
      {dialog === 'logout' && <LogoutDialog unsent={chat.outbox.unsentCount()} onLogout={() => void client.logout()} onClose={() => setDialog(null)} />}
    </div>
  );
}

function LogoutDialog({ unsent, onLogout, onClose }: { unsent: number; onLogout: () => void; onClose: () => void }) {
  const what = unsent === 1 ? '1 message has' : `${unsent} messages have`;
  return (
    <Dialog title="Log out with unsent messages?" onClose={onClose}>
      <p className="dialog-text">
        {what} not been sent yet. Logging out drops {unsent === 1 ? 'it' : 'them'} from this device.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Keep them and stay
        </button>
        <button type="button" className="button button-danger" onClick={onLogout}>
          Log out and drop them
        </button>
      </div>
    </Dialog>
  );
}

function ConnectionStatus() {
  const status = useConnectionStore(selectConnectionStatus);
  const label = connectionLabel(status);
  if (!label) return null;
  return (
    <p role="status" className={`connection connection-${status}`}>
      <span className="connection-dot" aria-hidden="true" />
      {label}
    </p>
  );
}

function RoomList() {
  const rooms = useRoomsStore(selectRooms);
  const loaded = useRoomsStore(selectRoomsLoaded);
  if (rooms.length === 0) {
    return (
      <nav aria-label="Rooms" className="room-nav">
        <p className="room-list-empty">{loaded ? 'No rooms yet. Create one with the + button.' : 'Loading rooms…'}</p>
      </nav>
    );
  }
  return (
    <nav aria-label="Rooms" className="room-nav">
      <ul className="room-list">
        {rooms.map((room) => (
          <li key={room.id}>
            <RoomButton room={room} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function RoomButton({ room }: { room: RoomSummary }) {
  const selected = useViewStore(selectSelectedRoomId) === room.id;
  const muted = useSettingsStore(selectIsMuted(room.id));
  const selfId = useSessionStore(selectSelfId);
  const chat = useChatSession();
  const nameId = `room-name-${room.id}`;
  const detailId = `room-detail-${room.id}`;
  const last = room.lastMessage;
  // Author and text isolated from each other, so right-to-left text cannot reorder the line around it.
  const preview = last ? (
    <>
      <bdi>{last.authorId === selfId ? 'You' : last.authorUsername}</bdi>: <bdi>{last.text.split('\n', 1)[0]}</bdi>
    </>
  ) : (
    'No messages yet'
  );
  const unread = room.unreadCount > 0;
  return (
    <button
      type="button"
      className={`room-button ${selected ? 'is-selected' : ''} ${unread ? 'has-unread' : ''} ${muted ? 'is-muted' : ''}`}
      aria-current={selected ? 'page' : undefined}
      aria-labelledby={nameId}
      aria-describedby={detailId}
      onClick={() => chat.navigation.openRoom(room.id)}
    >
      <span className="room-hash" aria-hidden="true">
        #
      </span>
      <span className="room-text">
        <span className="room-line">
          <span id={nameId} className="room-name" dir="auto">
            {room.name}
          </span>
          {last && (
            <time className="room-time" dateTime={last.createdAt}>
              {formatListTime(last.createdAt)}
            </time>
          )}
        </span>
        <span id={detailId} className="room-line">
          <span className="room-preview">{preview}</span>
          {muted && (
            <span className="room-muted" title="Muted">
              <Icon name="bellOff" size={14} />
              <span className="sr-only">muted</span>
            </span>
          )}
          <MentionBadge count={room.mentionCount} />
          {unread && (
            <span className="badge" aria-label={`${formatUnread(room.unreadCount)} unread`}>
              {formatUnread(room.unreadCount)}
            </span>
          )}
        </span>
      </span>
    </button>
  );
}
