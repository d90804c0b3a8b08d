import { useId, useState, type FormEvent } from 'react';
import type { AppPreferences } from '../../shared/token-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { settle } from '../store/connect-api';
import { Dialog, FormError } from './dialog';
import { CheckboxField } from './form-fields';

/** Opens the preferences. */
export function PreferencesButton() {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Preferences
      </button>
      {open && <PreferencesDialog onClose={() => setOpen(false)} />}
    </>
  );
}

type ClearDelay = AppPreferences['clipboardClearSeconds'];

const delays: { value: ClearDelay; label: string }[] = [
  { value: 10, label: 'After 10 seconds' },
  { value: 30, label: 'After 30 seconds' },
  { value: 60, label: 'After 1 minute' },
  { value: 120, label: 'After 2 minutes' },
  { value: 300, label: 'After 5 minutes' },
  { value: 'never', label: 'Never' },
];

/** The clipboard clear delay and whether to notify, saved together. */
export function PreferencesDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const current = useAppStore((state) => state.settings?.preferences ?? null);
  const [delay, setDelay] = useState<ClearDelay>(current?.clipboardClearSeconds ?? 30);
  const [notifications, setNotifications] = useState(current?.notifications ?? true);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (notifications) void askNotificationPermission();
    const result = await settle(
      api.updateSettings({
        preferences: { clipboardClearSeconds: delay, notifications },
      }),
    );
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    store.getState().receiveSettings(result.value);
    store.getState().noteDone('Saved the preferences.');
    onClose();
  }

  return (
    <Dialog title="Preferences" onClose={onClose}>
      <form onSubmit={(event) => void handleSubmit(event)}>
        <div className="form-field">
          <label htmlFor={selectId} className="form-label">
            Clear a copied token from the clipboard
          </label>
          <select
            id={selectId}
            className="form-input"
            value={String(delay)}
            onChange={(event) => setDelay(parseDelay(event.target.value))}
          >
            {delays.map((choice) => (
              <option key={String(choice.value)} value={String(choice.value)}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <CheckboxField
          label="Notify me when a profile needs me (sign in again, keychain locked, a token about to expire)"
          checked={notifications}
          onCheckedChange={setNotifications}
        />
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function parseDelay(value: string): ClearDelay {
  return value === 'never' ? 'never' : Number(value);
}

/** Asks for desktop notifications while the user is saving (a gesture the browser honours). */
async function askNotificationPermission(): Promise<void> {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    await Notification.requestPermission().catch(() => undefined);
  }
}
