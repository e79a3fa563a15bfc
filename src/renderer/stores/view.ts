// Runs in: the renderer. Navigation: which room is selected, which tab, and the notice
// shown in the main area (e.g. "You were removed from #x").
import { create } from 'zustand';

export type RoomTab = 'chat' | 'manage';

interface ViewState {
  selectedRoomId: string | null;
  tab: RoomTab;
  notice: string | null;
  select(roomId: string | null, tab?: RoomTab): void;
  setTab(tab: RoomTab): void;
  showNotice(notice: string): void;
  clearNotice(): void;
  reset(): void;
}

export const useViewStore = create<ViewState>()((set) => ({
  selectedRoomId: null,
  tab: 'chat',
  notice: null,
  select: (roomId, tab = 'chat') => set({ selectedRoomId: roomId, tab, notice: null }),
  setTab: (tab) => set({ tab }),
  showNotice: (notice) => set({ notice }),
  clearNotice: () => set({ notice: null }),
  reset: () => set({ selectedRoomId: null, tab: 'chat', notice: null }),
}));

export const selectSelectedRoomId = (s: ViewState) => s.selectedRoomId;
export const selectTab = (s: ViewState) => s.tab;
export const selectViewNotice = (s: ViewState) => s.notice;
/** The room whose chat view is open: selected and on the Chat tab. */
export const selectViewingRoomId = (s: ViewState) => (s.tab === 'chat' ? s.selectedRoomId : null);
