// Runs in: the renderer. The message box: Enter sends, Shift+Enter adds a line; "@"
// suggests the room's members (MentionPicker); typing tells the room (session/typing.ts).
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS } from '../../../shared/contractValues';
import { useChatSession } from '../../session/context';
import { Icon } from '../common/Icon';
import { MentionListbox, useMentionPicker } from './MentionPicker';

const MAX_HEIGHT = 200;

export function Composer({ roomId, roomName }: { roomId: string; roomName: string }) {
  const chat = useChatSession();
  // Unsent text per room lives in the session's drafts: kept while switching rooms, gone at sign-out.
  const [text, setText] = useState(() => chat.drafts.get(roomId));
  const box = useRef<HTMLTextAreaElement>(null);
  const over = text.trim().length - LIMITS.messageMax;

  useEffect(() => {
    chat.drafts.set(roomId, text);
  }, [chat, roomId, text]);

  // The box takes the focus as the room opens, in the next frame: focusing lays the page
  // out, which at commit would lay out the room before its list has placed its rows (and
  // again after); in the frame it is the layout the frame does anyway.
  useEffect(() => {
    const frame = requestAnimationFrame(() => box.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [roomId]);

  // Leaving the room (or the Chat tab) ends the typing indicator on the server.
  useEffect(() => () => chat.typing.closed(roomId), [chat, roomId]);

  /** Replaces text[start, end) and puts the caret after the insert (a picked mention). */
  const replace = useCallback((start: number, end: number, insert: string) => {
    setText((current) => {
      const next = current.slice(0, start) + insert + current.slice(end);
      const caret = start + insert.length;
      requestAnimationFrame(() => box.current?.setSelectionRange(caret, caret));
      return next;
    });
  }, []);
  const mention = useMentionPicker(roomId, text, replace);

  // Grow with the text up to a limit, then scroll. Empty, it is one line by its own CSS:
  // no measuring then, which forced a layout of the whole window on every room opened.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (text === '') {
      el.style.height = '';
      return;
    }
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT)}px`;
  }, [text]);

  const submit = () => {
    if (over > 0) return;
    if (chat.outbox.send(roomId, text)) {
      setText('');
      chat.typing.sent(roomId);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention.onKeyDown(event)) return;
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
    box.current?.focus();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <div className={`composer-box ${over > 0 ? 'is-over' : ''}`}>
        <MentionListbox picker={mention} />
        <textarea
          ref={box}
          className="composer-input"
          rows={1}
          aria-label={`Message #${roomName}`}
          aria-describedby={over > 0 ? `composer-limit-${roomId}` : undefined}
          aria-invalid={over > 0 || undefined}
          placeholder={`Message #${roomName}`}
          aria-autocomplete="list"
          aria-controls={mention.open ? mention.listboxId : undefined}
          aria-activedescendant={mention.open ? mention.optionId(mention.active) : undefined}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            chat.typing.input(roomId, e.target.value);
            mention.update(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => mention.update(e.currentTarget.value, e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="send-button" aria-label="Send" title="Send (Enter)" disabled={!text.trim() || over > 0}>
          <Icon name="send" size={18} />
        </button>
      </div>
      <p className="composer-hint" id={`composer-limit-${roomId}`}>
        {over > 0 ? (
          <span className="field-error">
            {over} {over === 1 ? 'character' : 'characters'} over the {LIMITS.messageMax}-character limit
          </span>
        ) : (
          <>
            <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          </>
        )}
      </p>
    </form>
  );
}
