// Runs in: the renderer. Instant start: the room list and the latest page of the rooms
// opened last are kept in the account's LocalStore, painted at start before the server
// answers, then reconciled with what it says:
//   - the room list from the server replaces the cached one (rooms the user was removed
//     from while away disappear; the one on screen says so, as a live removal does);
//   - a cached page is shown as a window held from before, so entering the room resumes
//     it like a reconnect does (session/history.ts resumeAtTail): the server's latest page
//     is merged by id and seq, a gap is caught up, nothing is replaced or shown twice.
// What is on screen is written back (debounced) while the session lives. One per
// ChatSession; disposed with it.
import type { Message, RoomSummary } from '../../shared/contract';
import { CACHE_KEY_PREFIX, type LocalStore } from '../../shared/localStore';
import type { WindowAnchor } from '../stores/historyWindow';
import { useMessagesStore, type Timeline } from '../stores/messages';
import { useRoomsStore } from '../stores/rooms';
import { useUnreadLineStore } from '../stores/unreadLine';
import { useViewStore } from '../stores/view';

/** Rooms whose latest page is kept: the ones opened last. */
export const CACHED_ROOMS = 10;
/** Messages kept per room: the newest. */
export const CACHED_PAGE = 50;
/** Changes are written at most this often (a busy room changes the list with every message). */
export const WRITE_DELAY_MS = 500;
/**
 * The cache's format. Bump it when RoomSummary or Message change shape in a way an old
 * entry would break: entries of another version are ignored (and overwritten).
 */
export const CACHE_FORMAT = 1;

/** The cache's keys in the LocalStore; all under CACHE_KEY_PREFIX (the outbox is not). */
export const CACHE_KEYS = {
  rooms: `${CACHE_KEY_PREFIX}rooms`,
  recent: `${CACHE_KEY_PREFIX}recent`,
  room: (roomId: string) => `${CACHE_KEY_PREFIX}room:${roomId}`,
} as const;

interface CachedRooms {
  v: number;
  rooms: RoomSummary[];
}
interface CachedPage {
  v: number;
  messages: Message[];
  hasOlder: boolean;
}
interface CachedRecent {
  v: number;
  roomIds: string[];
}

const ROOM_ID = /^[0-9a-f]{24}$/;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

// What is read back is checked for the fields the screen relies on: an entry written by
// another version, or damaged, is dropped, never painted.
function isMessage(x: unknown, roomId: string): x is Message {
  return (
    isObject(x) &&
    typeof x.id === 'string' &&
    x.roomId === roomId &&
    typeof x.authorId === 'string' &&
    typeof x.authorUsername === 'string' &&
    typeof x.text === 'string' &&
    typeof x.clientId === 'string' &&
    Number.isSafeInteger(x.seq) &&
    (x.seq as number) >= 1 &&
    typeof x.createdAt === 'string'
  );
}
function isRoomSummary(x: unknown): x is RoomSummary {
  return (
    isObject(x) &&
    typeof x.id === 'string' &&
    ROOM_ID.test(x.id) &&
    typeof x.name === 'string' &&
    (x.role === 'admin' || x.role === 'member') &&
    typeof x.memberCount === 'number' &&
    typeof x.unreadCount === 'number' &&
    (x.lastMessage === null || isMessage(x.lastMessage, x.id))
  );
}
function readRooms(x: unknown): RoomSummary[] | null {
  if (!isObject(x) || x.v !== CACHE_FORMAT || !Array.isArray(x.rooms)) return null;
  return x.rooms.every(isRoomSummary) ? (x.rooms as RoomSummary[]) : null;
}
function readPage(x: unknown, roomId: string): CachedPage | null {
  if (!isObject(x) || x.v !== CACHE_FORMAT || !Array.isArray(x.messages) || typeof x.hasOlder !== 'boolean') return null;
  const messages = x.messages as unknown[];
  if (messages.length === 0 || !messages.every((m) => isMessage(m, roomId))) return null;
  // Consecutive by seq, oldest first: the window's own rule (stores/historyWindow.ts).
  for (let i = 1; i < messages.length; i++) if ((messages[i] as Message).seq <= (messages[i - 1] as Message).seq) return null;
  return { v: CACHE_FORMAT, messages: messages as Message[], hasOlder: x.hasOlder };
}
function readRecent(x: unknown): string[] {
  if (!isObject(x) || x.v !== CACHE_FORMAT || !Array.isArray(x.roomIds)) return [];
  return x.roomIds.filter((id): id is string => typeof id === 'string' && ROOM_ID.test(id)).slice(0, CACHED_ROOMS);
}

/** The newest CACHED_PAGE messages of a window at the live tail, or null when it is elsewhere. */
function pageOf(t: Timeline | undefined): CachedPage | null {
  if (!t?.loaded || t.hasNewer || t.messages.length === 0) return null;
  const messages = t.messages.length > CACHED_PAGE ? t.messages.slice(-CACHED_PAGE) : t.messages;
  return { v: CACHE_FORMAT, messages, hasOlder: t.hasOlder || t.messages.length > CACHED_PAGE };
}
const pageSignature = (p: CachedPage) => `${p.messages.length}:${p.messages[0]!.id}:${p.messages.at(-1)!.id}:${p.hasOlder}`;

export interface StartCacheOptions {
  /** Called when a write fails (quota, refused): the cache is an optimisation, the session goes on. */
  onError?: (error: unknown) => void;
  writeDelayMs?: number;
}

export class StartCache {
  /** The cached pages read at start and written since, by room. */
  private readonly pages = new Map<string, CachedPage>();
  private readonly written = new Map<string, string>();
  private recent: string[] = [];
  private readonly dirty = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unfollow: (() => void) | null = null;
  private disposed = false;
  /** The cache has been read (start finished): pages can be painted. */
  private isRead = false;
  private readonly writeDelayMs: number;
  private readonly onError: (error: unknown) => void;
  /** Resolves once the cache has been read (painted or not). */
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    private readonly store: LocalStore,
    options: StartCacheOptions = {},
  ) {
    this.writeDelayMs = options.writeDelayMs ?? WRITE_DELAY_MS;
    this.onError = options.onError ?? ((error) => console.warn('local cache:', error));
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /**
   * Reads the cache and paints the room list, unless the server's list is already there;
   * the pages wait in memory for their room to be opened (paintRoom). Then follows the
   * stores to write what changes.
   */
  async start(): Promise<void> {
    try {
      // The whole cache in one read: the list, the recent rooms and their pages together
      // (the pages read once the recent rooms were known took a second round trip).
      const entries = new Map(await this.store.entries<unknown>(CACHE_KEY_PREFIX));
      if (this.disposed) return;
      const cachedRooms = readRooms(entries.get(CACHE_KEYS.rooms));
      if (cachedRooms) useRoomsStore.getState().showCached(cachedRooms);
      const cachedRecent = readRecent(entries.get(CACHE_KEYS.recent));
      const pages = cachedRecent.map((roomId) => entries.get(CACHE_KEYS.room(roomId)));
      // Rooms opened while this was being read (from the server's list) count as newer.
      this.recent = [...new Set([...this.recent, ...cachedRecent])].slice(0, CACHED_ROOMS);
      if (this.recent.join() !== cachedRecent.join()) this.markDirty(CACHE_KEYS.recent);
      cachedRecent.forEach((roomId, i) => {
        if (!this.recent.includes(roomId)) return;
        const page = readPage(pages[i], roomId);
        if (!page) return;
        this.pages.set(roomId, page);
        this.written.set(roomId, pageSignature(page));
      });
    } catch (error) {
      this.onError(error);
    } finally {
      this.isRead = true;
      this.markReady();
    }
    if (!this.disposed) this.follow();
  }

  /**
   * A room is being opened: its cached latest page goes on screen at once, as a window
   * held from before, so entering it merges the server's page instead of replacing it.
   * Nothing happens when the room already has a window or nothing is cached.
   */
  paintRoom(roomId: string): boolean {
    if (this.disposed) return false;
    if (!this.isRead) {
      // Opened before the cache was read (the server's list came first): painted once it
      // is, if the room is still open and its page has not come from the server meanwhile.
      this.noteOpened(roomId);
      void this.ready.then(() => {
        if (useViewStore.getState().selectedRoomId === roomId) this.paintRoom(roomId);
      });
      return false;
    }
    const room = useRoomsStore.getState().rooms.find((r) => r.id === roomId);
    if (!room) return false;
    this.noteOpened(roomId);
    const page = this.pages.get(roomId);
    const messages = useMessagesStore.getState();
    if (!page || messages.timelines[roomId]) return false;
    // Opened with unread messages (navigation set the "New messages" line): shown at the
    // line as the server's page would be, unless they begin before the cached page (then
    // the room opens at the first of them from the server, not at the cached end).
    let anchor: WindowAnchor = { kind: 'latest' };
    const line = useUnreadLineStore.getState().byRoom[roomId];
    if (line !== undefined) {
      if (line < page.messages[0]!.seq && page.hasOlder) return false;
      const firstUnread = page.messages.find((m) => m.seq >= line);
      if (firstUnread) anchor = { kind: 'unread', messageId: firstUnread.id };
    }
    messages.beginTimeline(roomId);
    messages.showPage(roomId, { messages: page.messages, hasMore: page.hasOlder, hasOlder: page.hasOlder, hasNewer: false }, anchor);
    return true;
  }

  /** Writes what is waiting now (the page is being hidden or closed). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.disposed || this.dirty.size === 0) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    await Promise.all(keys.map((key) => this.write(key)));
  }

  /** Stops following and writing; pending writes are dropped (sign-out wipes, and a new session reads afresh). */
  dispose(): void {
    this.disposed = true;
    this.unfollow?.();
    this.unfollow = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
    this.markReady();
  }

  private noteOpened(roomId: string): void {
    if (this.disposed || this.recent[0] === roomId) return;
    const next = [roomId, ...this.recent.filter((id) => id !== roomId)];
    for (const evicted of next.slice(CACHED_ROOMS)) this.forget(evicted);
    this.recent = next.slice(0, CACHED_ROOMS);
    this.markDirty(CACHE_KEYS.recent);
  }

  private forget(roomId: string): void {
    this.recent = this.recent.filter((id) => id !== roomId);
    this.pages.delete(roomId);
    this.written.delete(roomId);
    this.markDirty(CACHE_KEYS.room(roomId));
    this.markDirty(CACHE_KEYS.recent);
  }

  /**
   * Writes back what changes from now on, and what already changed while the cache was
   * being read: on a quick network the server's list and the open room's page are often
   * in before IndexedDB answers, and would otherwise never be written.
   */
  private follow(): void {
    const unRooms = useRoomsStore.subscribe((state, prev) => {
      if (state.rooms !== prev.rooms || state.loaded !== prev.loaded) this.noteRooms(state);
    });
    const unMessages = useMessagesStore.subscribe((state, prev) => {
      if (state.timelines !== prev.timelines) this.notePages(state.timelines, prev.timelines);
    });
    this.noteRooms(useRoomsStore.getState());
    this.notePages(useMessagesStore.getState().timelines, {});
    const onHidden = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    const onPageHide = () => void this.flush();
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    this.unfollow = () => {
      unRooms();
      unMessages();
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
    };
  }

  /** Only the server's list is written back (a cached list painted at start is not news), and rooms the user is no longer in lose their pages. */
  private noteRooms(state: { loaded: boolean; rooms: RoomSummary[] }): void {
    if (!state.loaded) return;
    this.markDirty(CACHE_KEYS.rooms);
    const ids = new Set(state.rooms.map((r) => r.id));
    for (const roomId of [...this.recent]) if (!ids.has(roomId)) this.forget(roomId);
  }

  /** The recent rooms whose timeline changed since `prev` and now hold a different latest page. */
  private notePages(timelines: Record<string, Timeline>, prev: Record<string, Timeline | undefined>): void {
    for (const roomId of this.recent) {
      const t = timelines[roomId];
      if (!t || t === prev[roomId]) continue;
      const page = pageOf(t);
      if (!page || this.written.get(roomId) === pageSignature(page)) continue;
      this.pages.set(roomId, page);
      this.markDirty(CACHE_KEYS.room(roomId));
    }
  }

  private markDirty(key: string): void {
    if (this.disposed) return;
    this.dirty.add(key);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.writeDelayMs);
  }

  private async write(key: string): Promise<void> {
    try {
      if (key === CACHE_KEYS.rooms) {
        const { rooms, loaded } = useRoomsStore.getState();
        if (loaded) await this.store.set(key, { v: CACHE_FORMAT, rooms } satisfies CachedRooms);
      } else if (key === CACHE_KEYS.recent) {
        await this.store.set(key, { v: CACHE_FORMAT, roomIds: this.recent } satisfies CachedRecent);
      } else {
        const roomId = key.slice(CACHE_KEYS.room('').length);
        const page = this.recent.includes(roomId) ? this.pages.get(roomId) : undefined;
        if (!page) {
          await this.store.delete(key);
          return;
        }
        await this.store.set(key, page);
        this.written.set(roomId, pageSignature(page));
      }
    } catch (error) {
      if (!this.disposed) this.onError(error);
    }
  }
}

/**
 * Removes the cache, keeping the rest of the account's data (the outbox): a session that
 * ended without the user signing out (expired, revoked) leaves no messages on screen for
 * the next start, while unsent messages wait for the same account to sign in again.
 */
export async function wipeStartCache(store: LocalStore): Promise<void> {
  const recent = readRecent(await store.get<unknown>(CACHE_KEYS.recent).catch(() => undefined));
  await Promise.all([CACHE_KEYS.rooms, CACHE_KEYS.recent, ...recent.map(CACHE_KEYS.room)].map((key) => store.delete(key).catch(() => {})));
}
