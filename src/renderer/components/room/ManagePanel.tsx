// Runs in: the renderer. The Manage tab: rename, members and roles, mute, leave, delete.
// What a rule forbids is said next to the control; the server's refusal, if any, is
// shown in an alert with its own words.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { roomNameSchema, type RoomMember } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { addMember, deleteRoom, leaveRoom, loadRoomDetail, removeMember, renameRoom, setMemberRole, setRoomMuted } from '../../app/rooms';
import { selectDetail, selectRoom, useRoomsStore } from '../../stores/rooms';
import { selectSelfId, useSessionStore } from '../../stores/session';
import { selectIsMuted, useSettingsStore } from '../../stores/settings';
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
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadRoomDetail(roomId).catch((e: unknown) => setRefusal(errorMessage(e)));
  }, [roomId]);

  /** Runs an action; a refusal lands in the alert. Resolves true on success. */
  const act = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setRefusal(null);
    try {
      await action();
      return true;
    } catch (e) {
      setRefusal(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!room) return null;
  const members = detail?.members ?? [];
  const me = members.find((m) => m.userId === selfId);
  const isAdmin = (me?.role ?? room.role) === 'admin';
  const adminCount = members.filter((m) => m.role === 'admin').length;
  const lastAdmin = isAdmin && adminCount === 1;

  return (
    <div className="manage">
      <div className="manage-inner">
        {refusal && (
          <div role="alert" className="banner banner-error">
            <Icon name="alert" size={16} />
            <span>{refusal}</span>
          </div>
        )}

        <RenameSection roomId={roomId} name={room.name} isAdmin={isAdmin} busy={busy} act={act} />

        <section className="card" aria-labelledby={`members-${roomId}`}>
          <h3 id={`members-${roomId}`}>
            Members <span className="count">{members.length || room.memberCount}</span>
          </h3>
          {isAdmin ? <AddMemberForm roomId={roomId} busy={busy} act={act} /> : <p className="note">Only admins can add or remove members.</p>}
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
              />
            ))}
          </ul>
        </section>

        <MuteSection roomId={roomId} />

        <section className="card" aria-labelledby={`leave-${roomId}`}>
          <h3 id={`leave-${roomId}`}>Leave or delete</h3>
          <LeaveControl roomId={roomId} isAdmin={isAdmin} lastAdmin={lastAdmin} busy={busy} act={act} />
          {isAdmin && <DeleteControl roomId={roomId} name={room.name} busy={busy} act={act} />}
        </section>
      </div>
    </div>
  );
}

type Act = (action: () => Promise<void>) => Promise<boolean>;

function RenameSection({ roomId, name, isAdmin, busy, act }: { roomId: string; name: string; isAdmin: boolean; busy: boolean; act: Act }) {
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
    if (await act(() => renameRoom(roomId, parsed.data))) setDraft(null);
  };

  return (
    <section className="card" aria-labelledby={`rename-${roomId}`}>
      <h3 id={`rename-${roomId}`}>Room name</h3>
      {isAdmin ? (
        <form className="inline-form" onSubmit={(e) => void onSubmit(e)} noValidate>
          <Field
            label="Room name"
            placeholder="Room name"
            maxLength={80}
            value={value}
            error={error}
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

function AddMemberForm({ roomId, busy, act }: { roomId: string; busy: boolean; act: Act }) {
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim();
    if (!name) {
      setError('Enter a username');
      return;
    }
    if (await act(() => addMember(roomId, name))) setUsername('');
  };
  return (
    <form className="inline-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <Field
        label="Add member by username"
        placeholder="Add someone by username"
        autoComplete="off"
        spellCheck={false}
        value={username}
        error={error}
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
}) {
  const { roomId, member, isSelf, viewerIsAdmin, lastAdmin, busy, act } = props;
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
              <button type="button" className="button button-small" disabled={busy} onClick={() => void act(() => setMemberRole(roomId, userId, 'admin'))}>
                Make {username} admin
              </button>
            ) : (
              <button type="button" className="button button-small" disabled={busy} onClick={() => void act(() => setMemberRole(roomId, userId, 'member'))}>
                Remove admin from {username}
              </button>
            )}
            <button type="button" className="button button-small button-danger-ghost" disabled={busy} onClick={() => void act(() => removeMember(roomId, userId))}>
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
            onClick={() => void act(() => setMemberRole(roomId, userId, 'member'))}
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
    </li>
  );
}

function MuteSection({ roomId }: { roomId: string }) {
  const muted = useSettingsStore(selectIsMuted(roomId));
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Notifications</h3>
      <div className="settings-row">
        <input id={id} type="checkbox" className="checkbox" checked={muted} onChange={(e) => void setRoomMuted(roomId, e.target.checked)} />
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

function LeaveControl({ roomId, isAdmin, lastAdmin, busy, act }: { roomId: string; isAdmin: boolean; lastAdmin: boolean; busy: boolean; act: Act }) {
  const noteId = useId();
  return (
    <div className="danger-row">
      <div>
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-describedby={isAdmin ? noteId : undefined}
          onClick={() => void act(() => leaveRoom(roomId))}
        >
          Leave room
        </button>
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

function DeleteControl({ roomId, name, busy, act }: { roomId: string; name: string; busy: boolean; act: Act }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="danger-row">
      <div>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => setConfirming(true)}>
          Delete room
        </button>
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
                void act(() => deleteRoom(roomId));
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
