// Runs in: the renderer. The virtualized message history: only the rows on screen (and a
// few either side) are in the DOM, placed by @tanstack/react-virtual from measured heights
// (estimated until a row has been on screen). The list shows the room's history window (a
// bounded stretch of messages, stores/historyWindow.ts): scrolling near either end loads
// the next page, pages far from the view are dropped. When rows are added or dropped
// above, the virtualizer keeps the row the reader is looking at at the same pixel, before
// the frame is painted (anchorTo: 'end'). A jump replaces the window, and the list starts
// afresh at the first message, the latest one, or the message asked for; a list opened at
// its latest message is painted there in its first frame.
import { useVirtualizer, type Range, type Virtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Message } from '../../../shared/contract';
import { afterNextPaint } from '../../lib/afterPaint';
import { formatDayLabel, formatDayLong, formatFull, formatTime } from '../../lib/format';
import { linkify } from '../../lib/linkify';
import { getBridge } from '../../platform/bridge';
import { useChatSession } from '../../session/context';
import { newMessageCount, type Timeline } from '../../stores/historyWindow';
import { selectOutbox, selectTimeline, useMessagesStore, type PendingMessage } from '../../stores/messages';
import { presenceText, selectPresenceLines, usePresenceStore, type PresenceLine } from '../../stores/presence';
import { selectSelfId, selectSelfName, useSessionStore } from '../../stores/session';
import { selectUnreadLine, useUnreadLineStore } from '../../stores/unreadLine';
import { Avatar } from '../common/Avatar';
import { Icon } from '../common/Icon';
import { CopyLinkButton } from './CopyLinkButton';
import { useHoldInView } from './holdInView';
import { MessageBody } from './MessageBody';
import { NewMessagesLine } from './NewMessagesLine';
import { buildRows, type Row } from './rows';

/** Room above the rows while older pages exist ("Loading earlier messages…"), and below them while newer ones do. */
const MORE_PX = 48;
/** Air between the newest message and the composer. */
const FOOTER_PX = 12;
/** Within this distance of the end the list counts as at the bottom (it follows new messages; no "Jump to latest"). */
const AT_BOTTOM_PX = 60;
/**
 * Rows are rendered this far beyond the view, and pages load when the view comes this
 * close to an end of the window: the rows of a page that arrives above are in the DOM at
 * once (a page of 100 fills it), so nothing pops in while reading up.
 */
const BEYOND_ABOVE_PX = 800;
const BEYOND_BELOW_PX = 400;
const BEYOND = { above: BEYOND_ABOVE_PX, below: BEYOND_BELOW_PX };
/**
 * Until the list's first frame is painted, only the rows in view: rendering and laying
 * out the rows beyond it (about half of a cached page) is most of the time between
 * opening a room and seeing it. They follow in the next task.
 */
const FIRST_FRAME_BEYOND = { above: 0, below: 0 };

/**
 * A row's height before it has been measured (px; rows are whole pixels tall, room.css).
 * Close guesses matter: a list opened at its end is placed from them in its first frame.
 */
function estimateHeight(row: Row): number {
  switch (row.kind) {
    case 'start':
      return 162;
    case 'unread':
      return 32;
    case 'presence':
      return 28;
    case 'message':
    case 'pending': {
      const body = row.compact ? 23 : 51;
      const status = row.kind === 'pending' ? 20 : 0;
      return body + status + (row.day ? 42 : 0);
    }
  }
}

/** A row's height as the virtualizer last measured it (by key), else the estimate. */
function heightOf(row: Row, virtualizer: Virtualizer<HTMLDivElement, Element> | null): number {
  return virtualizer?.itemSizeCache.get(row.key) ?? estimateHeight(row);
}

type StartAt = { at: 'first' } | { at: 'latest' } | { at: 'index'; index: number; align: 'start' | 'center' };

/** Where a list of this window starts: the first message, the one asked for, or the latest. */
function startOf(timeline: Timeline, rows: Row[]): StartAt {
  const anchor = timeline.anchor;
  if (anchor.kind === 'first') return { at: 'first' };
  if (anchor.kind === 'unread') {
    // The "New messages" line near the top, what came before it just visible above.
    const index = rows.findIndex((r) => r.kind === 'unread');
    if (index !== -1) return { at: 'index', index: Math.max(0, index - 1), align: 'start' };
  }
  if (anchor.kind === 'message') {
    const index = rows.findIndex((r) => r.kind === 'message' && r.message.id === anchor.messageId);
    if (index !== -1) return { at: 'index', index, align: 'center' };
  }
  return { at: 'latest' };
}

/** Where the scroller starts before anything is measured: the estimated place of `start`. */
function initialOffsetOf(start: StartAt, rows: Row[], headerPx: number): number {
  if (start.at === 'first') return 0;
  // Past the end: the virtualizer clamps it to the end of the rows, measured or not.
  if (start.at === 'latest') return Number.MAX_SAFE_INTEGER;
  let offset = headerPx;
  for (let i = 0; i < start.index; i++) offset += estimateHeight(rows[i]!);
  return start.align === 'center' ? Math.max(0, offset - window.innerHeight / 3) : offset;
}

/** The rows to render: the visible ones, and those within `beyond` px of the view. */
function rowsAround(range: Range, heightAt: (index: number) => number, beyond: { above: number; below: number }): number[] {
  let first = range.startIndex;
  for (let px = 0; first > 0 && px < beyond.above;) px += heightAt(--first);
  let last = range.endIndex;
  for (let px = 0; last < range.count - 1 && px < beyond.below;) px += heightAt(++last);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Which measured size changes move the scroll position with them, so what is on screen
 * stays put: TanStack's own rule (a row measured for the first time above the view's top;
 * a row measured again entirely above it, unless scrolling up) plus the rows measured for
 * the first time within MORE_PX below the top. Those are the rows of a page that arrives
 * while the view rests at the very top, in the room made for "Loading earlier
 * messages…": placed from estimates above the row that was on top, they are visible, and
 * under the default rule their errors would push that row down (2 px in the browser test
 * with every estimate 1 px off).
 */
function movesScrollWithIt(item: VirtualItem, _delta: number, virtualizer: Virtualizer<HTMLDivElement, Element>): boolean {
  const top = virtualizer.scrollOffset ?? 0;
  if (!virtualizer.itemSizeCache.has(item.key)) return item.start < top + MORE_PX;
  return item.end <= top && virtualizer.scrollDirection !== 'backward';
}

interface ListContext {
  roomName: string;
  empty: boolean;
  /** The message the window was opened at (a notification or a link), shown highlighted. */
  targetId: string | null;
}

export function MessageList({ roomId, roomName }: { roomId: string; roomName: string }) {
  const timeline = useMessagesStore(selectTimeline(roomId));
  const outbox = useMessagesStore(selectOutbox(roomId));
  const selfName = useSessionStore(selectSelfName);
  // What is on screen is forgotten when the list goes (another room, the Manage tab).
  useEffect(() => () => useMessagesStore.getState().setViewRange(roomId, null), [roomId]);

  if (!timeline.loaded) {
    return (
      <div className="message-area">
        <div role="log" aria-label="Messages" aria-busy="true" className="message-scroller message-loading" tabIndex={0}>
          <div className="skeleton" aria-hidden="true">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="skeleton-row">
                <span className="skeleton-avatar" />
                <span className="skeleton-lines">
                  <span />
                  <span />
                </span>
              </div>
            ))}
          </div>
          <p className="sr-only">Loading messages…</p>
          {/* Waiting to be sent (e.g. typed offline, kept from before a restart): shown, and cancellable, before the history arrives. */}
          {outbox.map((pending) => (
            <PendingRow key={pending.clientId} pending={pending} day={null} compact={false} selfName={selfName} />
          ))}
        </div>
      </div>
    );
  }
  // A replaced window (a jump) is a new list, started at its anchor.
  return <WindowList key={timeline.generation} roomId={roomId} roomName={roomName} timeline={timeline} />;
}

function WindowList({ roomId, roomName, timeline }: { roomId: string; roomName: string; timeline: Timeline }) {
  const outbox = useMessagesStore(selectOutbox(roomId));
  const lines = usePresenceStore(selectPresenceLines(roomId));
  const selfName = useSessionStore(selectSelfName);
  const atStart = !timeline.hasOlder;
  const atEnd = !timeline.hasNewer;
  const unreadFromSeq = useUnreadLineStore(selectUnreadLine(roomId));
  const rows = useMemo(
    () => buildRows(timeline.messages, lines, outbox, { atStart, atEnd, unreadFromSeq }),
    [timeline.messages, lines, outbox, atStart, atEnd, unreadFromSeq],
  );
  const chat = useChatSession();
  const scroller = useRef<HTMLDivElement>(null);
  // Where this list starts (a new window is a new list: MessageList keys it by generation).
  const [start] = useState(() => startOf(timeline, rows));
  const [jumping, setJumping] = useState(false);
  const painted = usePaintedOnce();
  const headerPx = timeline.hasOlder ? MORE_PX : 0;
  const footerPx = timeline.hasNewer ? MORE_PX : FOOTER_PX;

  // The virtualizer itself, for the heights it has measured (the same object every render).
  const instance = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  // The virtualizer is a mutable object read during render; nothing here is memoised by the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimateHeight(rows[index]!),
    getItemKey: (index) => rows[index]!.key,
    // Heights come from the virtualizer's ResizeObserver, which reports every new row at
    // once before the frame is painted. A row just rendered is placed at its known height
    // or estimate meanwhile: measuring it there and then (the default) forced a layout
    // of the page per row, 40-80 ms of opening a room.
    measureElement: (element, entry, v) => {
      const box = entry?.borderBoxSize?.[0];
      if (box) return Math.round(box.blockSize);
      const row = rows[v.indexFromElement(element)];
      return row ? heightOf(row, v) : 0;
    },
    paddingStart: headerPx,
    paddingEnd: footerPx,
    rangeExtractor: (range) => rowsAround(range, (index) => heightOf(rows[index]!, instance.current), painted ? BEYOND : FIRST_FRAME_BEYOND),
    // Rows added or dropped above keep the row on screen where it is; new rows at the end
    // are followed while the list is at the bottom of the live tail, never a loaded page.
    anchorTo: 'end',
    followOnAppend: atEnd && timeline.lastGrowth !== 'page' ? 'auto' : false,
    scrollEndThreshold: AT_BOTTOM_PX,
    initialOffset: () => initialOffsetOf(start, rows, headerPx),
    // Until the scroller has been measured (in the first layout effect), a window's height
    // is a safe guess at its size: the first render already holds every row it will show.
    initialRect: { width: 0, height: window.innerHeight },
  });
  instance.current = virtualizer;
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = movesScrollWithIt;
  const atBottom = virtualizer.getDistanceFromEnd() <= AT_BOTTOM_PX;
  const totalPx = virtualizer.getTotalSize();

  // Placed at its start before the first paint: the end (the first render already holds
  // the last rows) or the row asked for. Scroll commands keep aiming there as rows are
  // measured, until the list holds still or the user scrolls.
  useLayoutEffect(() => {
    if (start.at === 'latest') virtualizer.scrollToEnd();
    else if (start.at === 'index') virtualizer.scrollToIndex(start.index, { align: start.align });
    // Once per list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Your own new message always scrolls into view, wherever the list was (followOnAppend
  // covers the others' when at the bottom).
  const lastKey = rows.at(-1)?.key;
  const ownGrowth = atEnd && timeline.lastGrowth === 'own';
  const followedKey = useRef(lastKey);
  useLayoutEffect(() => {
    if (lastKey === followedKey.current) return;
    followedKey.current = lastKey;
    if (ownGrowth && !atBottom) virtualizer.scrollToEnd();
  }, [lastKey, ownGrowth, atBottom, virtualizer]);

  const targetId = timeline.anchor.kind === 'message' ? timeline.anchor.messageId : null;
  const openedAtUnread = timeline.anchor.kind === 'unread';
  const rowsNow = useRef(rows);
  rowsNow.current = rows;
  useHoldInView(
    (index) => virtualizer.scrollToIndex(index, { align: 'center' }),
    scroller,
    targetId !== null ? '.is-target' : openedAtUnread ? '.new-messages-line' : null,
    () => rowsNow.current.findIndex((r) => (targetId !== null ? r.kind === 'message' && r.message.id === targetId : r.kind === 'unread')),
  );

  // At the live tail and looking at it: nothing that arrived so far is "new".
  const tailSeq = timeline.tailSeq;
  useEffect(() => {
    if (atBottom && atEnd) useMessagesStore.getState().sawTail(roomId);
  }, [atBottom, atEnd, tailSeq, roomId]);
  const newCount = newMessageCount(timeline);
  const newLabel = newCount === 0 ? null : newCount === 1 ? '1 new message' : `${newCount.toLocaleString('en')} new messages`;

  // Near an end of the window: the next page (the loader ignores a call while one is on
  // its way). Judged from the scroller itself once the render is on screen: a render can
  // hold a position the list is only about to be scrolled to.
  const { hasOlder, hasNewer, loadingOlder, loadingNewer } = timeline;
  const offset = virtualizer.scrollOffset;
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (hasOlder && !loadingOlder && element.scrollTop < BEYOND_ABOVE_PX) void chat.history.loadOlder(roomId);
    if (hasNewer && !loadingNewer && element.scrollHeight - element.clientHeight - element.scrollTop < BEYOND_BELOW_PX) void chat.history.loadNewer(roomId);
  }, [offset, totalPx, hasOlder, hasNewer, loadingOlder, loadingNewer, chat, roomId]);

  // Tells the store which messages are on screen, so trimming the window spares them.
  const range = virtualizer.range;
  const fromSeq = range ? seqNear(rows, range.startIndex, 1) : null;
  const toSeq = range ? seqNear(rows, range.endIndex, -1) : null;
  useEffect(() => {
    if (fromSeq === null || toSeq === null || fromSeq > toSeq) return;
    useMessagesStore.getState().setViewRange(roomId, { fromSeq, toSeq });
    // Opened at the "New messages" line: what scrolls into view is read, up to the end.
    chat.navigation.markReadIfSeen();
  }, [fromSeq, toSeq, roomId, chat]);

  const context = useMemo<ListContext>(
    () => ({
      roomName,
      empty: timeline.messages.length === 0 && outbox.length === 0,
      targetId,
    }),
    [roomName, timeline.messages.length, outbox.length, targetId],
  );

  const goToLatest = async () => {
    setJumping(true);
    const result = await chat.history.jumpToLatest(roomId);
    if (result === 'replaced') return;
    setJumping(false);
    // Rows between here and the end may not be measured yet: the command keeps aiming at the end as they are.
    if (result === 'scroll') virtualizer.scrollToEnd();
  };

  const awayFromLatest = !atBottom || timeline.hasNewer;

  return (
    <div className="message-area">
      {/* The scrolling element is the log: focusable, so arrow keys and Page Up/Down scroll it. */}
      <div ref={scroller} role="log" aria-label="Messages" tabIndex={0} className="message-scroller">
        <div className="message-rows" style={{ height: totalPx }}>
          {timeline.hasOlder && (
            <div className="history-more" style={{ top: 0 }}>
              {timeline.loadingOlder ? <span className="spinner-text">Loading earlier messages…</span> : null}
            </div>
          )}
          {virtualizer.getVirtualItems().map((item) => (
            <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-slot" style={{ top: item.start }}>
              <RowView row={rows[item.index]!} selfName={selfName} context={context} />
            </div>
          ))}
          {timeline.hasNewer && (
            <div className="history-more" style={{ top: totalPx - MORE_PX }}>
              {timeline.loadingNewer ? <span className="spinner-text">Loading newer messages…</span> : null}
            </div>
          )}
        </div>
      </div>
      {/* In the flow below the list, not over it: it never covers a message. */}
      {awayFromLatest && (
        <div className="history-latest">
          <button
            type="button"
            className="button button-small button-floating jump-latest"
            // The count is part of the name ("Jump to latest, 3 new messages"), read as one phrase.
            aria-label={newLabel ? `Jump to latest, ${newLabel}` : undefined}
            onClick={() => void goToLatest()}
            disabled={jumping}
          >
            <Icon name="arrowDown" size={14} />
            <span>Jump to latest</span>
            {newLabel && <span className="jump-count">{newLabel}</span>}
          </button>
        </div>
      )}
    </div>
  );
}

/** False until the component's first frame has been painted. */
function usePaintedOnce(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => afterNextPaint(() => setPainted(true)), []);
  return painted;
}

/** The seq of the message row nearest `index`, looking toward `step`. */
function seqNear(rows: Row[], index: number, step: 1 | -1): number | null {
  for (let i = index; i >= 0 && i < rows.length; i += step) {
    const row = rows[i]!;
    if (row.kind === 'message') return row.message.seq;
  }
  return null;
}

function StartRow({ context }: { context: ListContext }) {
  return (
    <div className="history-start">
      <div className="history-start-icon" aria-hidden="true">
        <Icon name="hash" size={26} />
      </div>
      <p className="history-start-title">This is the start of #{context.roomName}</p>
      <p className="history-start-text">{context.empty ? 'No messages yet. Say hello!' : 'Everything ever said in this room is below.'}</p>
    </div>
  );
}

function RowView({ row, selfName, context }: { row: Row; selfName: string; context: ListContext }) {
  switch (row.kind) {
    case 'start':
      return <StartRow context={context} />;
    case 'message':
      return <MessageRow message={row.message} day={row.day} compact={row.compact} target={row.message.id === context.targetId} />;
    case 'pending':
      return <PendingRow pending={row.pending} day={row.day} compact={row.compact} selfName={selfName} />;
    case 'presence':
      return <PresenceRow line={row.line} />;
    case 'unread':
      return <NewMessagesLine />;
  }
}

function DaySeparator({ iso }: { iso: string }) {
  return (
    <div role="separator" aria-label={formatDayLong(iso)} className="day-separator">
      <span aria-hidden="true">{formatDayLabel(iso)}</span>
    </div>
  );
}

function MessageShell(props: {
  author: string;
  createdAt: string;
  day: string | null;
  compact: boolean;
  className?: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const { author, createdAt, day, compact, className, children, footer } = props;
  const time = (
    <time dateTime={createdAt} title={formatFull(createdAt)} className={compact ? 'message-gutter-time' : 'message-time'}>
      {formatTime(createdAt)}
    </time>
  );
  return (
    <div className="row">
      {day && <DaySeparator iso={day} />}
      <article className={`message ${compact ? 'is-compact' : ''} ${className ?? ''}`}>
        <div className="message-gutter">{compact ? time : <Avatar name={author} />}</div>
        <div className="message-body">
          <div className={compact ? 'sr-only' : 'message-header'}>
            <span className="message-author" dir="auto">
              {author}
            </span>
            {!compact && time}
          </div>
          <div className="message-text" dir="auto">
            {children}
          </div>
          {footer}
        </div>
      </article>
    </div>
  );
}

const MessageRow = memo(function MessageRow(props: { message: Message; day: string | null; compact: boolean; target: boolean }) {
  const { message, day, compact, target } = props;
  const selfId = useSessionStore(selectSelfId);
  const mentionsMe = selfId !== null && (message.mentions?.includes(selfId) ?? false);
  const className = [target ? 'is-target' : '', mentionsMe ? 'mentions-me' : ''].join(' ').trim() || undefined;
  return (
    <MessageShell
      author={message.authorUsername}
      createdAt={message.createdAt}
      day={day}
      compact={compact}
      className={className}
      footer={<CopyLinkButton roomId={message.roomId} messageId={message.id} />}
    >
      <MessageBody roomId={message.roomId} text={message.text} mentions={message.mentions} />
    </MessageShell>
  );
});

const PendingRow = memo(function PendingRow(props: { pending: PendingMessage; day: string | null; compact: boolean; selfName: string }) {
  const { pending, day, compact, selfName } = props;
  const chat = useChatSession();
  const failed = pending.status === 'failed';
  // Named with the message, so a screen reader tells one Cancel from the next.
  const cancel = (
    <button
      type="button"
      className="link-button"
      aria-label={`Cancel sending “${shortText(pending.text)}”`}
      onClick={() => chat.outbox.cancel(pending.clientId)}
    >
      Cancel
    </button>
  );
  const footer = failed ? (
    <div className="message-status is-failed">
      <Icon name="alert" size={14} />
      <span>Not sent{pending.error ? `: ${pending.error}` : ''}</span>
      <button type="button" className="link-button" onClick={() => chat.outbox.retry(pending.clientId)}>
        Retry
      </button>
      {cancel}
    </div>
  ) : (
    <div className="message-status">
      <span>Sending…</span>
      {cancel}
    </div>
  );
  return (
    <MessageShell author={selfName} createdAt={pending.createdAt} day={day} compact={compact} className={failed ? 'is-failed' : 'is-pending'} footer={footer}>
      <MessageText text={pending.text} />
    </MessageShell>
  );
});

/** The start of a message, to name it in a control. */
function shortText(text: string): string {
  const line = text.split('\n', 1)[0]!;
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

function PresenceRow({ line }: { line: PresenceLine }) {
  return (
    <div className="row">
      <p className={`presence-line presence-${line.action}`}>
        <span className="presence-dot" aria-hidden="true" />
        {presenceText(line)}
      </p>
    </div>
  );
}

const MessageText = memo(function MessageText({ text }: { text: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'text' ? (
          <span key={i}>{part.text}</span>
        ) : (
          <a
            key={i}
            href={part.url}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(event) => {
              event.preventDefault();
              getBridge().openExternal(part.url);
            }}
          >
            {part.text}
          </a>
        ),
      )}
    </>
  );
});
