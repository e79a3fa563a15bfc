// Runs in: the renderer. The one place where the live connection's events reach the
// stores and the signed-in ChatSession: every socket.on of the app is here. Components
// never subscribe to the socket.
import { useConnectionStore } from '../stores/connection';
import { useMessagesStore } from '../stores/messages';
import { usePresenceStore } from '../stores/presence';
import { useRoomsStore } from '../stores/rooms';
import { selectViewingRoomId, useViewStore } from '../stores/view';
import type { ParleyBridge } from '../../shared/bridge';
import type { RoomRemovedReason, TypingEvent } from '../../shared/contract';
import type { ParleySocket } from './socket';

/** What the socket's events call into: the ChatSession that owns the connection. */
export interface SocketEventTarget {
  readonly selfId: string;
  readonly bridge: ParleyBridge;
  readonly navigation: { markReadIfSeen(): void; roomGone(roomId: string, reason: RoomRemovedReason, actor?: string): void };
  /** Typing indicators heard from the room's viewers (session/typing.ts). */
  readonly typing: { heard(event: TypingEvent): void; stop(roomId: string, userId: string): void };
  /** Connected (first time or again): enter the open room, catch up, resend. */
  connected(): void;
  /** The connection dropped; `byServer` when the server closed it (it will not retry by itself). */
  disconnected(byServer: boolean): void;
  /** The session behind the connection is over (logged out elsewhere, or expired). */
  sessionEnded(): void;
  /** The server refused the handshake for another reason and will not retry by itself. */
  refused(): void;
  /** Pushes may have been lost while the connection stayed up: refresh and catch up. */
  resync(): void;
}

const SESSION_CODES = new Set(['session_expired', 'unauthenticated']);

const downStatus = () => (navigator.onLine === false ? 'offline' : 'reconnecting');

export function bindSocketEvents(socket: ParleySocket, session: SocketEventTarget): () => void {
  const lifecycle = session;
  const selfId = () => session.selfId;

  socket.on('connect', () => {
    useConnectionStore.getState().setStatus('connected');
    lifecycle.connected();
  });

  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return; // we closed it ourselves
    useConnectionStore.getState().setStatus(downStatus());
    lifecycle.disconnected(reason === 'io server disconnect');
  });

  socket.on('connect_error', (error) => {
    const code = (error as Error & { data?: { code?: string } }).data?.code;
    if (code && SESSION_CODES.has(code)) {
      lifecycle.sessionEnded();
      return;
    }
    useConnectionStore.getState().setStatus(downStatus());
    // A refusal from the server's middleware is not retried by socket.io itself.
    if (!socket.active) lifecycle.refused();
  });

  socket.on('session:ended', () => lifecycle.sessionEnded());
  socket.on('sync:required', () => lifecycle.resync());

  socket.on('message:new', ({ message }) => {
    const viewing = selectViewingRoomId(useViewStore.getState()) === message.roomId;
    useMessagesStore.getState().merge(message.roomId, [message]);
    // Their message is out: they are not typing it any more.
    session.typing.stop(message.roomId, message.authorId);
    useRoomsStore.getState().messageArrived(message, { viewing, selfId: selfId() });
    const roomName = useRoomsStore.getState().rooms.find((r) => r.id === message.roomId)?.name ?? '';
    session.bridge.messageArrived({ message, roomName, selfUserId: selfId() });
    if (viewing) session.navigation.markReadIfSeen();
  });

  socket.on('room:presence', ({ roomId, user, action }) => {
    if (action === 'left') session.typing.stop(roomId, user.userId);
    if (selectViewingRoomId(useViewStore.getState()) !== roomId || user.userId === selfId()) return;
    // After the newest message known in the room: away from the tail, the line is below the window.
    const timeline = useMessagesStore.getState().timelines[roomId];
    const afterSeq = timeline?.loaded ? timeline.tailSeq : null;
    usePresenceStore.getState().presence({ roomId, user, action, at: Date.now(), afterSeq });
  });

  socket.on('room:typing', (event) => session.typing.heard(event));

  socket.on('room:added', ({ room }) => useRoomsStore.getState().roomAdded(room));

  socket.on('room:updated', ({ room }) => {
    const me = selfId();
    // A member list without this user is a removal; room:removed says so and why.
    if (!room.members.some((m) => m.userId === me)) return;
    useRoomsStore.getState().roomUpdated(room, me);
  });

  socket.on('room:removed', (event) => session.navigation.roomGone(event.roomId, event.reason, event.by));

  return () => {
    socket.off();
  };
}
