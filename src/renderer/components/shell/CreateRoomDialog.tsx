// Runs in: the renderer. The "Create room" dialog: a name (required), Create, Cancel.
import { useState, type FormEvent } from 'react';
import { LIMITS, roomNameSchema } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { useChatSession } from '../../session/context';
import { Dialog } from '../common/Dialog';
import { Field, sentence } from '../common/Field';

export function CreateRoomDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chat = useChatSession();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = roomNameSchema.safeParse(name);
    if (!parsed.success) {
      setError(sentence(parsed.error.issues[0]?.message ?? 'A room needs a name'));
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      await chat.rooms.create(parsed.data);
      onClose();
    } catch (e) {
      setServerError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog title="Create room" onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <p className="dialog-text">A room is where a group talks. You will be its admin and can add people next.</p>
        <Field
          label="Room name"
          name="roomName"
          autoFocus
          maxLength={LIMITS.roomNameMax}
          placeholder="e.g. design-team"
          value={name}
          error={error}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
        {serverError && (
          <p role="alert" className="banner banner-error">
            {serverError}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
