// Runs in: the renderer. The virtualized message history (react-virtuoso): only the rows
// on screen are in the DOM, so tens of thousands of loaded messages stay smooth. Older
// pages are prepended by lowering firstItemIndex, which keeps what the user sees still.
import { forwardRef, memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Virtuoso, type ScrollerProps, type VirtuosoHandle } from 'react-virtuoso';
import type { Message } from '../../../shared/contract';
import { loadOlder, loadToFirst, retryMessage } from '../../app/chat';
import { formatDayLabel, formatDayLong, formatFull, formatTime } from '../../lib/format';
import { linkify } from '../../lib/linkify';
import { getBridge } from '../../platform/bridge';
import { selectOutbox, selectTimeline, useMessagesStore, type PendingMessage } from '../../stores/messages';
import { presenceText, selectPresenceLines, usePresenceStore, type PresenceLine } from '../../stores/presence';
import { selectSelfName, useSessionStore } from '../../stores/session';
import { Avatar } from '../common/Avatar';
import { Icon } from '../common/Icon';
import { buildRows, type Row } from './rows';

/** Far above any history length, so firstItemIndex stays positive however much is prepended. */
const BASE_INDEX = 100_000_000;

interface ListContext {
  roomName: string;
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  empty: boolean;
}

export function MessageList({ roomId, roomName }: { roomId: string; roomName: string }) {
  const timeline = useMessagesStore(selectTimeline(roomId));
  const outbox = useMessagesStore(selectOutbox(roomId));
  const lines = usePresenceStore(selectPresenceLines(roomId));
  const selfName = useSessionStore(selectSelfName);
  const atStart = timeline.loaded && !timeline.hasOlder;
  const rows = useMemo(() => buildRows(timeline.messages, lines, outbox, atStart), [timeline.messages, lines, outbox, atStart]);
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  });
  const virtuoso = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  /** While jumping: how many older messages have been fetched so far. */
  const [jumping, setJumping] = useState<number | null>(null);
  // After "Jump to first message" the list is mounted afresh at its first row: deterministic,
  // where scrolling the old instance would race its own prepend compensation.
  const [mount, setMount] = useState<{ key: number; at: 'top' | 'bottom' }>({ key: 0, at: 'bottom' });

  const context = useMemo<ListContext>(
    () => ({
      roomName,
      loaded: timeline.loaded,
      hasOlder: timeline.hasOlder,
      loadingOlder: timeline.loadingOlder,
      empty: timeline.messages.length === 0 && outbox.length === 0,
    }),
    [roomName, timeline.loaded, timeline.hasOlder, timeline.loadingOlder, timeline.messages.length, outbox.length],
  );

  const followOutput = useCallback((isAtBottom: boolean) => {
    const last = rowsRef.current.at(-1);
    // Your own new message always scrolls into view; others' only if you were at the bottom.
    return isAtBottom || (last?.kind === 'pending' && last.pending.status === 'sending') ? 'auto' : false;
  }, []);

  const jumpToFirst = async () => {
    setJumping(0);
    const reached = await loadToFirst(roomId, setJumping);
    setJumping(null);
    if (reached) setMount((m) => ({ key: m.key + 1, at: 'top' }));
  };

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
        </div>
      </div>
    );
  }

  return (
    <div className="message-area">
      <div className="history-tools">
        <button type="button" className="button button-small button-floating" onClick={() => void jumpToFirst()} disabled={jumping !== null}>
          <Icon name="arrowUp" size={14} />
          {jumping === null ? 'Jump to first message' : `Loading history… ${jumping.toLocaleString()} messages`}
        </button>
      </div>
      <Virtuoso<Row, ListContext>
        key={mount.key}
        ref={virtuoso}
        className="message-virtuoso"
        data={rows}
        context={context}
        // Lowered by exactly the rows put in front: older messages and the start row.
        // Rows added above: the prepended messages, and once the start is held, the
        // start row and the oldest message that was held back as context (rows.ts).
        firstItemIndex={BASE_INDEX - timeline.prepended - (atStart ? 2 : 0)}
        initialTopMostItemIndex={mount.at === 'top' ? { index: 0, align: 'start' } : { index: 'LAST', align: 'end' }}
        computeItemKey={(_, row) => row.key}
        itemContent={(_, row) => <RowView row={row} selfName={selfName} context={context} />}
        alignToBottom
        followOutput={followOutput}
        startReached={() => void loadOlder(roomId)}
        atBottomStateChange={setAtBottom}
        atBottomThreshold={60}
        increaseViewportBy={{ top: 800, bottom: 400 }}
        components={{ Scroller: LogScroller, Header: ListHeader, Footer: ListFooter }}
      />
      {!atBottom && (
        <button
          type="button"
          className="button button-small button-floating jump-latest"
          onClick={() => virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' })}
        >
          <Icon name="arrowDown" size={14} />
          Jump to latest
        </button>
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
  if (!context?.loaded || !context.hasOlder) return null;
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

/** Air between the newest message and the composer. */
function ListFooter() {
  return <div className="list-footer" />;
}

function RowView({ row, selfName, context }: { row: Row; selfName: string; context: ListContext }) {
  switch (row.kind) {
    case 'start':
      return <StartRow context={context} />;
    case 'message':
      return <MessageRow message={row.message} day={row.day} compact={row.compact} />;
    case 'pending':
      return <PendingRow pending={row.pending} day={row.day} compact={row.compact} selfName={selfName} />;
    case 'presence':
      return <PresenceRow line={row.line} />;
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
            <span className="message-author">{author}</span>
            {!compact && time}
          </div>
          <div className="message-text">{children}</div>
          {footer}
        </div>
      </article>
    </div>
  );
}

const MessageRow = memo(function MessageRow({ message, day, compact }: { message: Message; day: string | null; compact: boolean }) {
  return (
    <MessageShell author={message.authorUsername} createdAt={message.createdAt} day={day} compact={compact}>
      <MessageText text={message.text} />
    </MessageShell>
  );
});

const PendingRow = memo(function PendingRow(props: { pending: PendingMessage; day: string | null; compact: boolean; selfName: string }) {
  const { pending, day, compact, selfName } = props;
  const failed = pending.status === 'failed';
  const footer = failed ? (
    <div className="message-status is-failed">
      <Icon name="alert" size={14} />
      <span>Not sent{pending.error ? `: ${pending.error}` : ''}</span>
      <button type="button" className="link-button" onClick={() => retryMessage(pending.clientId)}>
        Retry
      </button>
    </div>
  ) : (
    <div className="message-status">Sending…</div>
  );
  return (
    <MessageShell
      author={selfName}
      createdAt={pending.createdAt}
      day={day}
      compact={compact}
      className={failed ? 'is-failed' : 'is-pending'}
      footer={footer}
    >
      <MessageText text={pending.text} />
    </MessageShell>
  );
});

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
