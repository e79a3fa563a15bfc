// Runs in: the renderer. The "Settings" dialog: desktop notifications on or off.
import { useId, useState } from 'react';
import { useClient } from '../../session/context';
import { getBridge } from '../../platform/bridge';
import { webNotificationsBlocked } from '../../platform/webBridge';
import { selectNotificationsEnabled, useSettingsStore } from '../../stores/settings';
import { Dialog } from '../common/Dialog';

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const enabled = useSettingsStore(selectNotificationsEnabled);
  const hintId = useId();
  const client = useClient();
  const isWeb = getBridge().kind === 'web';
  const [blocked] = useState(() => isWeb && webNotificationsBlocked());
  const [askable, setAskable] = useState(() => isWeb && 'Notification' in window && window.Notification.permission === 'default');

  return (
    <Dialog title="Settings" onClose={onClose}>
      <div className="settings-row">
        <input
          id={`${hintId}-box`}
          type="checkbox"
          className="checkbox"
          checked={enabled}
          aria-describedby={hintId}
          onChange={(e) => void client.setNotificationsEnabled(e.target.checked)}
        />
        <div>
          <label htmlFor={`${hintId}-box`} className="settings-label">
            Desktop notifications
          </label>
          <p id={hintId} className="field-hint">
            A notification for each new message, except in the room you are looking at and in muted rooms.
            {blocked && ' Your browser blocks notifications for this site; allow them in the site settings.'}
          </p>
          {enabled && askable && (
            <button type="button" className="button button-small" onClick={() => void window.Notification.requestPermission().then(() => setAskable(false))}>
              Allow browser notifications
            </button>
          )}
        </div>
      </div>
      <p className="field-hint">The theme follows your system&apos;s light or dark setting.</p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" autoFocus onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
