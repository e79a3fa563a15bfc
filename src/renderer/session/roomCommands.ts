// Runs in: the renderer. The room list and room management over REST, within a session.
// Each action throws ApiRequestError when the server refuses; the view shows
// error.message next to the control that caused it. Answers and pushes carry the room's
// version, and the rooms store keeps the newest (stores/rooms.ts).
import type { Role } from '../../shared/contract';
import { isSessionError } from '../api/client';
import { useRoomsStore } from '../stores/rooms';
import { useSettingsStore } from '../stores/settings';
import { useViewStore } from '../stores/view';
import type { ChatSession } from './ChatSession';

const OBJECT_ID = /^[0-9a-f]{24}$/;
/** A link to a room the user cannot see: whether it exists is not theirs to know. */
export const NOT_VISIBLE = "That link is to a room you can't see: it doesn't exist, or you aren't a member.";

export class RoomCommands {
  /** A room asked for (notification, tray, link) before the list had arrived. */
  private openWhenListed: { roomId: string; messageId?: string } | null = null;

  constructor(private readonly s: ChatSession) {}

  /**
   * Opens a room from outside the window (a notification, the tray menu, a link), at a
   * message when one is named. Ids that cannot be ours are ignored (links are typed by anyone).
   */
  openFromHost(roomId: string, messageId?: string): void {
    if (!OBJECT_ID.test(roomId) || this.s.disposed) return;
    const at = messageId && OBJECT_ID.test(messageId) ? messageId : undefined;
    const rooms = useRoomsStore.getState();
    if (rooms.rooms.some((r) => r.id === roomId)) {
      this.openWhenListed = null;
      if (at) this.s.navigation.openRoomAt(roomId, at);
      else this.s.navigation.openRoom(roomId, 'chat');
    } else if (!rooms.loaded) {
      this.openWhenListed = { roomId, messageId: at };
    } else {
      // A link to a room this user is not in (or that is gone): say so rather than nothing.
      useViewStore.getState().showNotice(NOT_VISIBLE);
    }
  }

  /** The room list from the server (at start and after every reconnect). */
  async refresh(): Promise<void> {
    if (this.s.disposed) return;
    try {
      const { rooms } = await this.s.api.rooms();
      if (this.s.disposed) return;
      // The room on screen is no longer listed (removed while away, e.g. opened from the
      // cached list): it goes first, while the list still knows its name for the notice.
      const selected = useViewStore.getState().selectedRoomId;
      const lost = selected !== null && !rooms.some((r) => r.id === selected);
      if (lost) this.s.navigation.roomGone(selected, 'removed');
      useRoomsStore.getState().setRooms(rooms);
      if (this.openWhenListed) {
        const { roomId, messageId } = this.openWhenListed;
        this.openWhenListed = null;
        this.openFromHost(roomId, messageId);
      }
      if (!lost) this.s.navigation.markReadIfSeen();
    } catch (error) {
      // Unreachable: the connection's reconnect refreshes again. An ended session is handled by the client.
      if (!isSessionError(error)) console.warn('could not load rooms', error);
    }
  }

  async create(name: string): Promise<void> {
    const { room } = await this.s.api.createRoom(name);
    if (this.s.disposed) return;
    useRoomsStore.getState().roomAdded(room);
    this.s.navigation.openRoom(room.id, 'chat');
  }

  async loadDetail(roomId: string): Promise<void> {
    const { room } = await this.s.api.room(roomId);
    if (!this.s.disposed) useRoomsStore.getState().roomUpdated(room, this.s.selfId);
  }

  async rename(roomId: string, name: string): Promise<void> {
    const { room } = await this.s.api.renameRoom(roomId, name);
    if (!this.s.disposed) useRoomsStore.getState().roomUpdated(room, this.s.selfId);
  }

  async addMember(roomId: string, username: string): Promise<void> {
    const { room } = await this.s.api.addMember(roomId, username);
    if (!this.s.disposed) useRoomsStore.getState().roomUpdated(room, this.s.selfId);
  }

  /** The answer carries no room: the room:updated push brings the new member list (one update). */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.s.api.removeMember(roomId, userId);
  }

  async setMemberRole(roomId: string, userId: string, role: Role): Promise<void> {
    const { room } = await this.s.api.setRole(roomId, userId, role);
    if (!this.s.disposed) useRoomsStore.getState().roomUpdated(room, this.s.selfId);
  }

  async leave(roomId: string): Promise<void> {
    const { navigation } = this.s;
    navigation.expectRemoval(roomId);
    try {
      await this.s.api.removeMember(roomId, this.s.selfId);
    } catch (error) {
      navigation.cancelExpectedRemoval(roomId);
      throw error;
    }
    navigation.roomGone(roomId, 'left');
  }

  async delete(roomId: string): Promise<void> {
    const { navigation } = this.s;
    navigation.expectRemoval(roomId);
    try {
      await this.s.api.deleteRoom(roomId);
    } catch (error) {
      navigation.cancelExpectedRemoval(roomId);
      throw error;
    }
    navigation.roomGone(roomId, 'deleted');
  }

  async setMuted(roomId: string, muted: boolean): Promise<void> {
    const current = useSettingsStore.getState().settings.mutedRoomIds;
    const mutedRoomIds = muted ? [...new Set([...current, roomId])] : current.filter((id) => id !== roomId);
    useSettingsStore.getState().setSettings(await this.s.bridge.updateSettings({ mutedRoomIds }));
  }
}
