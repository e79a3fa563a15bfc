// Runs in: the renderer. A message's text: links made clickable (opened through the
// bridge) and @mentions the server found highlighted, a mention of you more strongly.
// Text stays text: nothing the author wrote is ever read as markup.
import { memo, useMemo } from 'react';
import type { RoomMember } from '../../../shared/contract';
import { mentionSpans, type Mentionable } from '../../../shared/mentions';
import { linkify } from '../../lib/linkify';
import { getBridge } from '../../platform/bridge';
import { selectDetail, useRoomsStore } from '../../stores/rooms';
import { selectSelfId, selectSelfName, useSessionStore } from '../../stores/session';

const NO_MEMBERS: RoomMember[] = [];

type Piece = { kind: 'text'; text: string } | { kind: 'mention'; text: string; me: boolean } | { kind: 'link'; text: string; url: string };

/** Splits text into plain text, links and the mentions among `mentioned` (user ids the server found). */
export function messagePieces(text: string, mentioned: readonly string[], people: readonly Mentionable[], selfId: string | null): Piece[] {
  const pieces: Piece[] = [];
  const known = people.filter((p) => mentioned.includes(p.userId));
  for (const part of linkify(text)) {
    if (part.kind !== 'text') {
      pieces.push({ kind: 'link', text: part.text, url: part.url });
      continue;
    }
    let at = 0;
    for (const span of mentionSpans(part.text, known)) {
      if (span.start > at) pieces.push({ kind: 'text', text: part.text.slice(at, span.start) });
      pieces.push({ kind: 'mention', text: part.text.slice(span.start, span.end), me: span.userId === selfId });
      at = span.end;
    }
    if (at < part.text.length) pieces.push({ kind: 'text', text: part.text.slice(at) });
  }
  return pieces;
}

export const MessageBody = memo(function MessageBody({ roomId, text, mentions }: { roomId: string; text: string; mentions?: string[] | undefined }) {
  const selfId = useSessionStore(selectSelfId);
  const selfName = useSessionStore(selectSelfName);
  // Whom a mention names: the room's members when known, and always yourself.
  const members = useRoomsStore(selectDetail(roomId))?.members ?? NO_MEMBERS;
  const pieces = useMemo(() => {
    const people: Mentionable[] = selfId ? [...members, { userId: selfId, username: selfName }] : members;
    return messagePieces(text, mentions ?? [], people, selfId);
  }, [text, mentions, members, selfId, selfName]);
  return (
    <>
      {pieces.map((piece, i) => {
        switch (piece.kind) {
          case 'text':
            return <span key={i}>{piece.text}</span>;
          case 'mention':
            return (
              <span key={i} className={`mention ${piece.me ? 'is-me' : ''}`}>
                {piece.text}
              </span>
            );
          case 'link':
            return (
              <a
                key={i}
                href={piece.url}
                target="_blank"
                rel="noopener noreferrer"
                onClick={(event) => {
                  event.preventDefault();
                  getBridge().openExternal(piece.url);
                }}
              >
                {piece.text}
              </a>
            );
        }
      })}
    </>
  );
});
