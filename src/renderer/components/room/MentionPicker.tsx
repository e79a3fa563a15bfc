// Runs in: the renderer. Suggestions after "@" in the composer: the room's members whose
// username starts with what follows the "@", as a listbox under the caret's line. Up and
// Down move through them, Enter or Tab picks, Escape closes; a click picks too. The text
// box stays the focus throughout (it points at the active option with
// aria-activedescendant), so typing carries on as usual.
import { useCallback, useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { RoomMember } from '../../../shared/contract';
import { mentionQueryAt } from '../../../shared/mentions';
import { useChatSession } from '../../session/context';
import { selectDetail, useRoomsStore } from '../../stores/rooms';
import { selectSelfId, useSessionStore } from '../../stores/session';
import { Avatar } from '../common/Avatar';

/** Suggestions shown at once; typing more narrows them. */
const MAX_OPTIONS = 8;

interface Query {
  start: number;
  query: string;
}

/** Members whose username starts with `query` (case-insensitively), yourself left out, alphabetical. */
export function mentionOptions(members: readonly RoomMember[], query: string, selfId: string | null): RoomMember[] {
  const q = query.toLowerCase();
  return members
    .filter((m) => m.userId !== selfId && m.username.toLowerCase().startsWith(q))
    .sort((a, b) => a.username.localeCompare(b.username))
    .slice(0, MAX_OPTIONS);
}

export interface MentionPicker {
  open: boolean;
  listboxId: string;
  optionId(index: number): string;
  options: RoomMember[];
  active: number;
  /** The text or the caret moved: is the caret in an "@name" being typed? */
  update(text: string, caret: number): void;
  /** Keys while the list is open; true when the key was the picker's. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  pick(member: RoomMember): void;
  setActive(index: number): void;
}

/**
 * The picker's state for one composer. `replace(start, end, insert)` puts the chosen
 * "@username " in place of what was typed and moves the caret after it.
 */
export function useMentionPicker(roomId: string, text: string, replace: (start: number, end: number, insert: string) => void): MentionPicker {
  const chat = useChatSession();
  const members = useRoomsStore(selectDetail(roomId))?.members;
  const selfId = useSessionStore(selectSelfId);
  const [query, setQuery] = useState<(Query & { caret: number }) | null>(null);
  const [active, setActive] = useState(0);
  // Escape closes the list for the "@" it was opened at, until the caret leaves it.
  const [dismissed, setDismissed] = useState<number | null>(null);
  const listboxId = useId();

  // The member list comes with the room's detail, loaded once when someone first types "@".
  const wantsMembers = query !== null && !members;
  useEffect(() => {
    if (wantsMembers) chat.rooms.loadDetail(roomId).catch(() => {});
  }, [wantsMembers, chat, roomId]);

  // The text changed from outside the box (sent, switched rooms): whatever was being typed is gone.
  const current = query !== null && text.slice(query.start, query.caret) === `@${query.query}`;
  const options = useMemo(() => (query && members ? mentionOptions(members, query.query, selfId) : []), [query, members, selfId]);
  const open = current && query.start !== dismissed && options.length > 0;

  const update = (value: string, caret: number) => {
    const found = mentionQueryAt(value, caret);
    setQuery(found ? { ...found, caret } : null);
    if (!found || found.start !== query?.start || found.query !== query.query) setActive(0);
    setDismissed((d) => (found && found.start === d ? d : null));
  };

  const pick = useCallback(
    (member: RoomMember) => {
      if (!query) return;
      replace(query.start, query.caret, `@${member.username} `);
      setQuery(null);
    },
    [query, replace],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    switch (event.key) {
      case 'ArrowDown':
        setActive((i) => (i + 1) % options.length);
        break;
      case 'ArrowUp':
        setActive((i) => (i - 1 + options.length) % options.length);
        break;
      case 'Enter':
      case 'Tab':
        pick(options[Math.min(active, options.length - 1)]!);
        break;
      case 'Escape':
        setDismissed(query!.start);
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  };

  return {
    open,
    listboxId,
    optionId: (index) => `${listboxId}-option-${index}`,
    options,
    active: Math.min(active, Math.max(0, options.length - 1)),
    update,
    onKeyDown,
    pick,
    setActive,
  };
}

/** The suggestions, above the composer's box. */
export function MentionListbox({ picker }: { picker: MentionPicker }) {
  if (!picker.open) return null;
  return (
    <ul className="mention-listbox" role="listbox" id={picker.listboxId} aria-label="Mention someone">
      {picker.options.map((member, index) => (
        <li
          key={member.userId}
          id={picker.optionId(index)}
          role="option"
          aria-selected={index === picker.active}
          className={`mention-option ${index === picker.active ? 'is-active' : ''}`}
          // Keeps the focus in the text box; the click itself picks.
          onMouseDown={(event) => event.preventDefault()}
          onMouseEnter={() => picker.setActive(index)}
          onClick={() => picker.pick(member)}
        >
          <span aria-hidden="true">
            <Avatar name={member.username} size="sm" />
          </span>
          <span className="mention-option-name">@{member.username}</span>
        </li>
      ))}
    </ul>
  );
}
