import { useId, useState, type FormEvent } from 'react';
import { defaultRefreshPolicy, type AppPreferences } from '../../shared/token-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import {
  readRenewalTiming,
  renewalTimingTexts,
  samePolicy,
  type RenewalTimingTexts,
} from '../renewal-timing-form';
import { settle } from '../store/connect-api';
import { Dialog, FormError } from './dialog';
import { CheckboxField, TextField } from './form-fields';
import { useFormProblems } from './use-form-problems';

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

/** The clipboard clear delay, whether to notify, and when tokens renew, saved together. */
export function PreferencesDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const current = useAppStore((state) => state.settings?.preferences ?? null);
  const [delay, setDelay] = useState<ClearDelay>(current?.clipboardClearSeconds ?? 30);
  const [notifications, setNotifications] = useState(current?.notifications ?? true);
  // Sent only when changed, so a dialog opened before the settings arrived keeps the file's.
  const [shownPolicy] = useState(() => current?.refresh ?? defaultRefreshPolicy);
  const [timing, setTiming] = useState(() => renewalTimingTexts(shownPolicy));
  const read = readRenewalTiming(timing);
  const { formRef, shown, check } = useFormProblems(read.problems ?? {});
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();
  const setTimingText = (key: keyof RenewalTimingTexts) => (value: string) =>
    setTiming({ ...timing, [key]: value });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!check() || read.policy === null) return;
    if (notifications) void askNotificationPermission();
    const policyChanged = !samePolicy(read.policy, shownPolicy);
    const result = await settle(
      api.updateSettings({
        preferences: {
          clipboardClearSeconds: delay,
          notifications,
          ...(policyChanged ? { refresh: read.policy } : {}),
        },
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
      <form ref={formRef} noValidate onSubmit={(event) => void handleSubmit(event)}>
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
        <fieldset className="form-group">
          <legend>Renewing tokens</legend>
          <p className="form-hint">
            While the app runs, profiles that can renew themselves are renewed at
            whichever of these moments comes first. A short-lived token still waits until
            half its life has passed.
          </p>
          <TextField
            label="Once this share of the token’s lifetime has passed (%)"
            type="number"
            inputMode="decimal"
            value={timing.percent}
            onValueChange={setTimingText('percent')}
            error={shown('percent')}
          />
          <TextField
            label="Or this many minutes before it expires"
            type="number"
            inputMode="decimal"
            value={timing.leadMinutes}
            onValueChange={setTimingText('leadMinutes')}
            error={shown('leadMinutes')}
          />
          <TextField
            label="But never later than this many seconds before it expires"
            type="number"
            inputMode="numeric"
            value={timing.minimumLeadSeconds}
            onValueChange={setTimingText('minimumLeadSeconds')}
            error={shown('minimumLeadSeconds')}
          />
        </fieldset>
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
