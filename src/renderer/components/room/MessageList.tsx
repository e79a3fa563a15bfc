// Runs in: the renderer. The virtualized message history (react-virtuoso): only the rows
// on screen are in the DOM. The list shows the room's history window (a bounded stretch
// of messages, stores/historyWindow.ts): scrolling up or down loads the next page, pages
// far from the view are dropped, and firstItemIndex moves with the rows added or dropped
// above, which keeps what the user sees still. A jump replaces the window, and the list
// starts afresh at the first message, the latest one, or the message asked for.
import { forwardRef, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Virtuoso, type FlatIndexLocationWithAlign, type ListRange, type ScrollerProps, type VirtuosoHandle } from 'react-virtuoso';
import type { Message } from '../../../shared/contract';
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
import { useKeepRowInPlace, type RowPin } from './keepRowInPlace';
import { buildRows, nextFirstItemIndex, type Row } from './rows';

/** Far above any history length, so firstItemIndex stays positive however much is prepended. */
const BASE_INDEX = 100_000_000;

type StartAt = FlatIndexLocationWithAlign;

/** Where a list of this window starts: the first message, the one asked for, or the latest. */
function startOf(timeline: Timeline, rows: Row[]): StartAt {
  const anchor = timeline.anchor;
  if (anchor.kind === 'first') return { index: 0, align: 'start' };
  if (anchor.kind === 'unread') {
    // The "New messages" line near the top, what came before it just visible above.
    const index = rows.findIndex((r) => r.kind === 'unread');
    if (index !== -1) return { index: Math.max(0, index - 1), align: 'start' };
  }
  if (anchor.kind === 'message') {
    const index = rows.findIndex((r) => r.kind === 'message' && r.message.id === anchor.messageId);
    if (index !== -1) return { index, align: 'center' };
  }
  return { index: 'LAST', align: 'end' };
}

/** A pin holding the row now on top of the scroller where it is (null when nothing is shown). */
function pinTopRow(scroller: HTMLElement | null, rows: Row[], first: number, mount: number): RowPin | null {
  const top = topRow(scroller, rows, first);
  if (!top) return null;
  return {
    mount,
    offset: top.offset,
    find: (view) => view.querySelector<HTMLElement>(`[data-item-index="${top.itemIndex}"]`),
    previous: null,
    refocus: false,
    immediate: true,
  };
}

/** The row at the top of the scroller, its data-item-index, and how far its top is scrolled above the scroller's top. */
function topRow(scroller: HTMLElement | null, rows: Row[], first: number): { key: string; itemIndex: number; offset: number } | null {
  if (!scroller) return null;
  const viewTop = scroller.getBoundingClientRect().top;
  for (const element of scroller.querySelectorAll<HTMLElement>('[data-item-index]')) {
    const box = element.getBoundingClientRect();
    if (box.bottom <= viewTop) continue;
    const itemIndex = Number(element.dataset.itemIndex);
    const row = rows[itemIndex - first];
    if (row) return { key: row.key, itemIndex, offset: viewTop - box.top };
  }
  return null;
}

interface ListContext {
  roomName: string;
  hasOlder: boolean;
  hasNewer: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
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
  const virtuoso = useRef<VirtuosoHandle>(null);
  // A list opened at the first message or at a given one starts away from the bottom.
  const [atBottom, setAtBottom] = useState(timeline.anchor.kind === 'latest');
  const [jumping, setJumping] = useState(false);

  // What the list shows: its rows, their firstItemIndex, which mount of react-virtuoso, and
  // where that mount starts. Rows added above lower firstItemIndex, which keeps the rows on
  // screen still. Rows dropped above would raise it, but react-virtuoso does not keep the
  // view still when its first items go (upstream issue #899), so then the list is measured
  // and mounted afresh with the row that was on top at the same place (see below).
  const [shown, setShown] = useState(() => ({ rows, first: BASE_INDEX, mount: 0, start: startOf(timeline, rows), pin: null as RowPin | null }));
  const scroller = useRef<HTMLElement | null>(null);
  let reanchor = false;
  let prepended: number | null = null;
  if (shown.rows !== rows) {
    const first = nextFirstItemIndex(shown.rows, shown.first, rows);
    // The room's first page arriving above also swaps the header (room to load more) for
    // the taller start row, which react-virtuoso does not offset: placed afresh, like a drop.
    const startArrived = rows[0]?.kind === 'start' && shown.rows.length > 0 && shown.rows[0]?.kind !== 'start';
    if (first > shown.first || startArrived) reanchor = true;
    else if (first < shown.first) prepended = first;
    else setShown({ ...shown, rows, first });
  }
  useLayoutEffect(() => {
    if (prepended === null) return;
    // Rows added above: react-virtuoso offsets them by its size estimates, and the new rows
    // it renders just above the view can measure otherwise (a page arriving with the view at
    // the very top moved it by 60-170 px in bench 7). Still the old rows on screen: the row
    // on top is pinned where it is; its absolute index (data-item-index) stays the same.
    setShown({ ...shown, rows, first: prepended, pin: pinTopRow(scroller.current, shown.rows, shown.first, shown.mount) });
  }, [prepended, rows, shown]);
  useLayoutEffect(() => {
    if (!reanchor) return;
    // Still the old rows on screen: note the top one and its offset, then swap before paint.
    const top = topRow(scroller.current, shown.rows, shown.first);
    const index = top ? rows.findIndex((r) => r.key === top.key) : -1;
    const start: StartAt = index === -1 ? { index: 'LAST', align: 'end' } : { index, align: 'start', offset: top!.offset };
    const mount = shown.mount + 1;
    // The fresh mount lands near the row; the pin then holds it at the very pixel.
    const pin: RowPin | null =
      index === -1
        ? null
        : {
            mount,
            offset: top!.offset,
            find: (view) => view.querySelector<HTMLElement>(`[data-item-index="${BASE_INDEX + index}"]`),
            previous: scroller.current,
            refocus: !!scroller.current && scroller.current === document.activeElement,
          };
    setShown({ rows, first: BASE_INDEX, mount, start, pin });
  }, [reanchor, rows, shown]);
  useKeepRowInPlace(scroller, shown.pin);
  const placed = useRef({ rows: shown.rows, first: shown.first });
  useEffect(() => {
    placed.current = { rows: shown.rows, first: shown.first };
  });
  const targetId = timeline.anchor.kind === 'message' ? timeline.anchor.messageId : null;
  const openedAtUnread = timeline.anchor.kind === 'unread';
  useHoldInView(virtuoso, scroller, targetId !== null ? '.is-target' : openedAtUnread ? '.new-messages-line' : null, () =>
    placed.current.rows.findIndex((r) => (targetId !== null ? r.kind === 'message' && r.message.id === targetId : r.kind === 'unread')),
  );

  // At the live tail and looking at it: nothing that arrived so far is "new".
  const tailSeq = timeline.tailSeq;
  useEffect(() => {
    if (atBottom && atEnd) useMessagesStore.getState().sawTail(roomId);
  }, [atBottom, atEnd, tailSeq, roomId]);
  const newCount = newMessageCount(timeline);
  const newLabel = newCount === 0 ? null : newCount === 1 ? '1 new message' : `${newCount.toLocaleString('en')} new messages`;

  const context = useMemo<ListContext>(
    () => ({
      roomName,
      hasOlder: timeline.hasOlder,
      hasNewer: timeline.hasNewer,
      loadingOlder: timeline.loadingOlder,
      loadingNewer: timeline.loadingNewer,
      empty: timeline.messages.length === 0 && outbox.length === 0,
      targetId: timeline.anchor.kind === 'message' ? timeline.anchor.messageId : null,
    }),
    [roomName, timeline.hasOlder, timeline.hasNewer, timeline.loadingOlder, timeline.loadingNewer, timeline.messages.length, outbox.length, timeline.anchor],
  );

  const followOutput = useCallback(
    (isAtBottom: boolean) => {
      const now = useMessagesStore.getState().timelines[roomId];
      // Away from the tail nothing live is added; a page that was loaded is not jumped over.
      if (!now || now.hasNewer || now.lastGrowth === 'page') return false;
      // Your own new message always scrolls into view; others' only if you were at the bottom.
      return now.lastGrowth === 'own' || isAtBottom ? 'auto' : false;
    },
    [roomId],
  );

  /** Tells the store which messages are on screen, so trimming the window spares them. */
  const rangeChanged = useCallback(
    ({ startIndex, endIndex }: ListRange) => {
      const { rows: shown, first } = placed.current;
      const seqNear = (index: number, step: 1 | -1) => {
        for (let i = index - first; i >= 0 && i < shown.length; i += step) {
          const row = shown[i]!;
          if (row.kind === 'message') return row.message.seq;
        }
        return null;
      };
      const fromSeq = seqNear(startIndex, 1);
      const toSeq = seqNear(endIndex, -1);
      if (fromSeq !== null && toSeq !== null && fromSeq <= toSeq) {
        useMessagesStore.getState().setViewRange(roomId, { fromSeq, toSeq });
        // Opened at the "New messages" line: what scrolls into view is read, up to the end.
        chat.navigation.markReadIfSeen();
      }
    },
    [roomId, chat],
  );

  const goToLatest = async () => {
    setJumping(true);
    const result = await chat.history.jumpToLatest(roomId);
    if (result === 'replaced') return;
    setJumping(false);
    if (result !== 'scroll') return;
    const toEnd = () => virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' });
    toEnd();
    // Rows between here and the end may not be measured yet (a list opened at the New
    // messages line): placed from estimates, the first jump can land short, so again
    // once they have been measured.
    for (const ms of [60, 200, 500]) setTimeout(toEnd, ms);
  };

  const awayFromLatest = !atBottom || timeline.hasNewer;

  return (
    <div className="message-area">
      <Virtuoso<Row, ListContext>
        key={shown.mount}
        ref={virtuoso}
        scrollerRef={(element) => {
          scroller.current = element instanceof HTMLElement ? element : null;
        }}
        className="message-virtuoso"
        data={shown.rows}
        context={context}
        firstItemIndex={shown.first}
        initialTopMostItemIndex={shown.start}
        computeItemKey={(_, row) => row.key}
        itemContent={(_, row) => <RowView row={row} selfName={selfName} context={context} />}
        alignToBottom
        // Following new messages is for a list at the live end. Elsewhere react-virtuoso must not
        // have it at all: it scrolls a freshly mounted list to the bottom when its rows measure
        // taller than estimated, which would carry a list opened at the first message away.
        followOutput={atEnd && (timeline.anchor.kind === 'latest' || atBottom) ? followOutput : false}
        startReached={() => void chat.history.loadOlder(roomId)}
        endReached={() => void chat.history.loadNewer(roomId)}
        rangeChanged={rangeChanged}
        atBottomStateChange={setAtBottom}
        atBottomThreshold={60}
        increaseViewportBy={{ top: 800, bottom: 400 }}
        components={{ Scroller: LogScroller, Header: ListHeader, Footer: ListFooter }}
      />
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

/** The scrolling element is the log: focusable, so arrow keys and Page Up/Down scroll it. */
const LogScroller = forwardRef<HTMLDivElement, ScrollerProps & { context?: ListContext }>(function LogScroller(
  { children, style, context: _context, ...rest },
  ref,
) {
  return (
    <div {...rest} ref={ref} style={style} role="log" aria-label="Messages" tabIndex={0} className="message-scroller">
      {children}
    </div>
  );
});

/** Room above the first row while older pages exist: reaching it loads the next one. */
function ListHeader({ context }: { context?: ListContext }) {
  if (!context?.hasOlder) return null;
  return <div className="history-more">{context.loadingOlder ? <span className="spinner-text">Loading earlier messages…</span> : null}</div>;
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

/** Air between the newest message and the composer; below a window away from the tail, room to load the next page. */
function ListFooter({ context }: { context?: ListContext }) {
  if (!context?.hasNewer) return <div className="list-footer" />;
  return <div className="history-more">{context.loadingNewer ? <span className="spinner-text">Loading newer messages…</span> : null}</div>;
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
