// Runs in: the renderer. The room list and room management over REST. Each action
// throws ApiRequestError when the server refuses; the view shows error.message.
import type { Role } from '../../shared/contract';
import { isSessionError } from '../api/client';
import { getBridge } from '../platform/bridge';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import { useSettingsStore } from '../stores/settings';
import { useViewStore } from '../stores/view';
import { cancelExpectedRemoval, expectRemoval, markReadIfSeen, openRoomAt, roomGone, selectRoom } from './chat';
import { getRuntime, type Runtime } from './runtime';

function requireRuntime(): Runtime {
  const runtime = getRuntime();
  if (!runtime) throw new Error('Not signed in.');
  return runtime;
}

const selfId = () => useSessionStore.getState().session?.user.id ?? null;

/** A room asked for (notification, tray, link) before the list had arrived. */
let openWhenListed: { roomId: string; messageId?: string } | null = null;

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * Opens a room from outside the window (a notification, the tray menu, a link), at a
 * message when one is named. Ids that cannot be ours are ignored (links are typed by anyone).
 */
export function openRoomFromHost(roomId: string, messageId?: string): void {
  if (!OBJECT_ID.test(roomId)) return;
  const at = messageId && OBJECT_ID.test(messageId) ? messageId : undefined;
  const rooms = useRoomsStore.getState();
  if (!getRuntime()) {
    // A link opened the app before it signed in: followed once the room list arrives.
    openWhenListed = { roomId, messageId: at };
  } else if (rooms.rooms.some((r) => r.id === roomId)) {
    openWhenListed = null;
    if (at) openRoomAt(roomId, at);
    else selectRoom(roomId, 'chat');
  } else if (!rooms.loaded) {
    openWhenListed = { roomId, messageId: at };
  }
}

/** The room list from the server (at start and after every reconnect). */
export async function refreshRooms(): Promise<void> {
  const runtime = getRuntime();
  if (!runtime) return;
  try {
    const { rooms } = await runtime.api.rooms();
    if (getRuntime() !== runtime) return;
    useRoomsStore.getState().setRooms(rooms);
    if (openWhenListed) {
      const { roomId, messageId } = openWhenListed;
      openWhenListed = null;
      openRoomFromHost(roomId, messageId);
    }
    const selected = useViewStore.getState().selectedRoomId;
    if (selected && !rooms.some((r) => r.id === selected)) roomGone(selected, 'removed');
    else markReadIfSeen();
  } catch (error) {
    // Unreachable: the connection's reconnect refreshes again. An ended session is handled by the client.
    if (!isSessionError(error)) console.warn('could not load rooms', error);
  }
}

export async function createRoom(name: string): Promise<void> {
  const { room } = await requireRuntime().api.createRoom(name);
  useRoomsStore.getState().roomAdded(room);
  selectRoom(room.id);
}

export async function loadRoomDetail(roomId: string): Promise<void> {
  const { room } = await requireRuntime().api.room(roomId);
  useRoomsStore.getState().setDetail(room, selfId());
}

export async function renameRoom(roomId: string, name: string): Promise<void> {
  const { room } = await requireRuntime().api.renameRoom(roomId, name);
  useRoomsStore.getState().roomUpdated(room, selfId());
}

export async function addMember(roomId: string, username: string): Promise<void> {
  const { room } = await requireRuntime().api.addMember(roomId, username);
  useRoomsStore.getState().roomUpdated(room, selfId());
}

export async function removeMember(roomId: string, userId: string): Promise<void> {
  await requireRuntime().api.removeMember(roomId, userId);
  // room:updated brings the new member list; fetching it too keeps the view right if the push is late.
  await loadRoomDetail(roomId).catch(() => {});
}

export async function setMemberRole(roomId: string, userId: string, role: Role): Promise<void> {
  const { room } = await requireRuntime().api.setRole(roomId, userId, role);
  useRoomsStore.getState().roomUpdated(room, selfId());
}

export async function leaveRoom(roomId: string): Promise<void> {
  const runtime = requireRuntime();
  const me = selfId();
  if (!me) return;
  expectRemoval(roomId);
  try {
    await runtime.api.removeMember(roomId, me);
  } catch (error) {
    cancelExpectedRemoval(roomId);
    throw error;
  }
  roomGone(roomId, 'left');
}

export async function deleteRoom(roomId: string): Promise<void> {
  expectRemoval(roomId);
  try {
    await requireRuntime().api.deleteRoom(roomId);
  } catch (error) {
    cancelExpectedRemoval(roomId);
    throw error;
  }
  roomGone(roomId, 'deleted');
}

export async function setRoomMuted(roomId: string, muted: boolean): Promise<void> {
  const current = useSettingsStore.getState().settings.mutedRoomIds;
  const mutedRoomIds = muted ? [...new Set([...current, roomId])] : current.filter((id) => id !== roomId);
  useSettingsStore.getState().setSettings(await getBridge().updateSettings({ mutedRoomIds }));
}

export async function setNotificationsEnabled(enabled: boolean): Promise<void> {
  useSettingsStore.getState().setSettings(await getBridge().updateSettings({ notificationsEnabled: enabled }));
}
