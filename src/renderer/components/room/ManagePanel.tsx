// Runs in: the renderer. The Manage tab: rename, members and roles, mute, leave, delete.
// What a rule forbids is said next to the control; the server's refusal, if any, is
// shown next to the control that caused it, in the server's own words.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { LIMITS, roomNameSchema, type RoomMember } from '../../../shared/contract';
import { isLastAdmin } from '../../../shared/roomRules';
import { errorMessage } from '../../api/client';
import { selectDetail, selectRoom, useRoomsStore } from '../../stores/rooms';
import { selectSelfId, useSessionStore } from '../../stores/session';
import { selectIsMuted, useSettingsStore } from '../../stores/settings';
import type { ChatSession } from '../../session/ChatSession';
import { useChatSession } from '../../session/context';
import { Avatar } from '../common/Avatar';
import { Dialog } from '../common/Dialog';
import { Field, sentence } from '../common/Field';
import { Icon } from '../common/Icon';

export const LAST_ADMIN_NOTE = 'You are the last admin: make someone else admin first';
export const LEAVE_AS_ADMIN_NOTE = 'Give up admin before leaving';
export const LEAVE_AS_LAST_ADMIN_NOTE = 'You are the last admin: make someone else admin, then give up admin to leave';

export function ManagePanel({ roomId }: { roomId: string }) {
  const detail = useRoomsStore(selectDetail(roomId));
  const room = useRoomsStore(selectRoom(roomId));
  const selfId = useSessionStore(selectSelfId);
  const chat = useChatSession();
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The server's last refusal, and which control it answers (shown next to that control). */
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    chat.rooms.loadDetail(roomId).catch((e: unknown) => setLoadError(errorMessage(e)));
  }, [chat, roomId]);

  /** Runs an action for the control `at`; a refusal is shown next to it. Resolves true on success. */
  const act: Act = async (at, action) => {
    setBusy(true);
    setRefusal(null);
    try {
      await action(chat);
      return true;
    } catch (e) {
      setRefusal({ at, message: errorMessage(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const refusalAt = (at: string) => (refusal?.at === at ? refusal.message : null);

  if (!room) return null;
  const members = detail?.members ?? [];
  const me = members.find((m) => m.userId === selfId);
  const isAdmin = (me?.role ?? room.role) === 'admin';
  const lastAdmin = selfId !== null && isLastAdmin(members, selfId);

  return (
    <div className="manage">
      <div className="manage-inner">
        {loadError && (
          <div role="alert" className="banner banner-error">
            <Icon name="alert" size={16} />
            <span>{loadError}</span>
          </div>
        )}

        <RenameSection roomId={roomId} name={room.name} isAdmin={isAdmin} busy={busy} act={act} refusal={refusalAt('rename')} />

        <section className="card" aria-labelledby={`members-${roomId}`}>
          <h3 id={`members-${roomId}`}>
            Members <span className="count">{members.length || room.memberCount}</span>
          </h3>
          {isAdmin ? (
            <AddMemberForm roomId={roomId} busy={busy} act={act} refusal={refusalAt('add')} />
          ) : (
            <p className="note">Only admins can add or remove members.</p>
          )}
          <ul aria-label="Members" className="member-list">
            {members.map((member) => (
              <MemberItem
                key={member.userId}
                roomId={roomId}
                member={member}
                isSelf={member.userId === selfId}
                viewerIsAdmin={isAdmin}
                lastAdmin={lastAdmin}
                busy={busy}
                act={act}
                refusal={refusalAt(`member:${member.userId}`)}
              />
            ))}
          </ul>
        </section>

        <MuteSection roomId={roomId} />

        <section className="card" aria-labelledby={`leave-${roomId}`}>
          <h3 id={`leave-${roomId}`}>Leave or delete</h3>
          <LeaveControl roomId={roomId} isAdmin={isAdmin} lastAdmin={lastAdmin} busy={busy} act={act} refusal={refusalAt('leave')} />
          {isAdmin && <DeleteControl roomId={roomId} name={room.name} busy={busy} act={act} refusal={refusalAt('delete')} />}
        </section>
      </div>
    </div>
  );
}

interface Refusal {
  at: string;
  message: string;
}
type Act = (at: string, action: (chat: ChatSession) => Promise<void>) => Promise<boolean>;

/** The server's refusal of what this control asked, right below it. */
function RefusalNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="field-error refusal">
      {message}
    </p>
  );
}

function RenameSection(props: { roomId: string; name: string; isAdmin: boolean; busy: boolean; act: Act; refusal: string | null }) {
  const { roomId, name, isAdmin, busy, act, refusal } = props;
  // null until the user types: meanwhile the field shows the current name, renames by others included.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = draft ?? name;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = roomNameSchema.safeParse(value);
    if (!parsed.success) {
      setError(sentence(parsed.error.issues[0]?.message ?? 'A room needs a name'));
      return;
    }
    if (await act('rename', (chat) => chat.rooms.rename(roomId, parsed.data))) setDraft(null);
  };

  return (
    <section className="card" aria-labelledby={`rename-${roomId}`}>
      <h3 id={`rename-${roomId}`}>Room name</h3>
      {isAdmin ? (
        <form className="inline-form" onSubmit={(e) => void onSubmit(e)} noValidate>
          <Field
            label="Room name"
            placeholder="Room name"
            maxLength={LIMITS.roomNameMax}
            value={value}
            error={error ?? refusal}
            announceError={!error && !!refusal}
            onChange={(e) => {
              setDraft(e.target.value);
              setError(null);
            }}
          />
          <button type="submit" className="button" disabled={busy}>
            Rename
          </button>
        </form>
      ) : (
        <p className="note">Only admins can rename the room.</p>
      )}
    </section>
  );
}

function AddMemberForm({ roomId, busy, act, refusal }: { roomId: string; busy: boolean; act: Act; refusal: string | null }) {
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim();
    if (!name) {
      setError('Enter a username');
      return;
    }
    if (await act('add', (chat) => chat.rooms.addMember(roomId, name))) setUsername('');
  };
  return (
    <form className="inline-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <Field
        label="Add member by username"
        placeholder="Add someone by username"
        autoComplete="off"
        spellCheck={false}
        value={username}
        error={error ?? refusal}
        announceError={!error && !!refusal}
        onChange={(e) => {
          setUsername(e.target.value);
          setError(null);
        }}
      />
      <button type="submit" className="button" disabled={busy}>
        Add member
      </button>
    </form>
  );
}

function MemberItem(props: {
  roomId: string;
  member: RoomMember;
  isSelf: boolean;
  viewerIsAdmin: boolean;
  lastAdmin: boolean;
  busy: boolean;
  act: Act;
  refusal: string | null;
}) {
  const { roomId, member, isSelf, viewerIsAdmin, lastAdmin, busy, act, refusal } = props;
  const at = `member:${member.userId}`;
  const noteId = useId();
  const { username, userId, role } = member;
  return (
    <li className="member">
      <Avatar name={username} size="sm" />
      <span className="member-name">
        <bdi>{username}</bdi>
        {isSelf && <span className="you"> (you)</span>}
      </span>
      <span className={`role role-${role}`}>{role}</span>
      <span className="member-actions">
        {viewerIsAdmin && !isSelf && (
          <>
            {role === 'member' ? (
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => void act(at, (chat) => chat.rooms.setMemberRole(roomId, userId, 'admin'))}
              >
                Make {username} admin
              </button>
            ) : (
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => void act(at, (chat) => chat.rooms.setMemberRole(roomId, userId, 'member'))}
              >
                Remove admin from {username}
              </button>
            )}
            <button
              type="button"
              className="button button-small button-danger-ghost"
              disabled={busy}
              onClick={() => void act(at, (chat) => chat.rooms.removeMember(roomId, userId))}
            >
              Remove {username}
            </button>
          </>
        )}
        {isSelf && role === 'admin' && (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            aria-describedby={lastAdmin ? noteId : undefined}
            onClick={() => void act(at, (chat) => chat.rooms.setMemberRole(roomId, userId, 'member'))}
          >
            Give up admin
          </button>
        )}
      </span>
      {isSelf && role === 'admin' && lastAdmin && (
        <p id={noteId} className="note note-rule">
          {LAST_ADMIN_NOTE}
        </p>
      )}
      <RefusalNote message={refusal} />
    </li>
  );
}

function MuteSection({ roomId }: { roomId: string }) {
  const muted = useSettingsStore(selectIsMuted(roomId));
  const chat = useChatSession();
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Notifications</h3>
      <div className="settings-row">
        <input id={id} type="checkbox" className="checkbox" checked={muted} onChange={(e) => void chat.rooms.setMuted(roomId, e.target.checked)} />
        <div>
          <label htmlFor={id} className="settings-label">
            Mute notifications for this room
          </label>
          <p className="field-hint">Unread messages are still counted in the room list.</p>
        </div>
      </div>
    </section>
  );
}

function LeaveControl(props: { roomId: string; isAdmin: boolean; lastAdmin: boolean; busy: boolean; act: Act; refusal: string | null }) {
  const { roomId, isAdmin, lastAdmin, busy, act, refusal } = props;
  const noteId = useId();
  return (
    <div className="danger-row">
      <div>
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-describedby={isAdmin ? noteId : undefined}
          onClick={() => void act('leave', (chat) => chat.rooms.leave(roomId))}
        >
          Leave room
        </button>
        <RefusalNote message={refusal} />
      </div>
      {isAdmin ? (
        <p id={noteId} className="note note-rule">
          {lastAdmin ? LEAVE_AS_LAST_ADMIN_NOTE : LEAVE_AS_ADMIN_NOTE}
        </p>
      ) : (
        <p className="note">You can be added back by an admin.</p>
      )}
    </div>
  );
}

function DeleteControl({ roomId, name, busy, act, refusal }: { roomId: string; name: string; busy: boolean; act: Act; refusal: string | null }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="danger-row">
      <div>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => setConfirming(true)}>
          Delete room
        </button>
        <RefusalNote message={refusal} />
      </div>
      <p className="note">Deletes the room and its whole history for everyone.</p>
      {confirming && (
        <Dialog title="Delete room?" onClose={() => setConfirming(false)}>
          <p className="dialog-text">
            #<bdi>{name}</bdi> and every message in it will be deleted for all members. This cannot be undone.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" autoFocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setConfirming(false);
                void act('delete', (chat) => chat.rooms.delete(roomId));
              }}
            >
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
