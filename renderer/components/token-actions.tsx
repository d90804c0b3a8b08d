import { useState } from 'react';
import { formatDateTime } from '../../shared/expiry-status';
import type { ProfileSummary } from '../../shared/profile-types';
import type { ProfileSettingsView } from '../../shared/token-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { clearOutcomeWords, copiedWords, copySecret } from '../clipboard-copy';
import { settle } from '../store/connect-api';
import { ConfirmDialog } from './dialog';
import { SignInDialog, signInDefaultsFor } from './sign-in-dialog';

const userProfile: ProfileSettingsView = { signInStore: 'file', kind: 'user' };

/** The app's own settings of a profile; a profile it has none for is a user profile in the file. */
export function useProfileSettings(name: string): ProfileSettingsView {
  return useAppStore((state) => state.settings?.profiles[name] ?? userProfile);
}

/** Whether the app can get the profile a new token without the user. */
export function canRenew(
  profile: ProfileSummary,
  settings: ProfileSettingsView,
): boolean {
  return (
    profile.hasRefreshToken ||
    settings.signInStore === 'keychain' ||
    settings.kind === 'service-account'
  );
}

/** Refresh, Copy token, Sign in again and Sign out for one profile, with what happened in words. */
export function TokenActions({ profile }: { profile: ProfileSummary }) {
  const settings = useProfileSettings(profile.name);
  const renewable = canRenew(profile, settings);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [dialog, setDialog] = useState<'sign-in' | 'sign-out' | null>(null);
  const isUser = settings.kind === 'user';

  return (
    <div className="token-actions">
      <div className="detail-actions" role="group" aria-label="Token">
        {renewable && <RefreshButton profile={profile.name} onMessage={setMessage} />}
        {(profile.hasToken || renewable) && (
          <CopyTokenButton profile={profile.name} onMessage={setMessage} />
        )}
        {isUser && (
          <button
            type="button"
            className="button"
            data-detail-action="sign-in-again"
            onClick={() => setDialog('sign-in')}
          >
            Sign in again…
          </button>
        )}
        {isUser && (profile.hasToken || renewable) && (
          <button
            type="button"
            className="button button-danger-quiet"
            data-detail-action="sign-out"
            onClick={() => setDialog('sign-out')}
          >
            Sign out…
          </button>
        )}
      </div>
      <p
        className={message?.error === true ? 'form-error token-message' : 'token-message'}
        role="status"
      >
        {message?.text}
      </p>
      {dialog === 'sign-in' && (
        <SignInDialog
          initial={signInDefaultsFor(profile)}
          replace
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'sign-out' && (
        <SignOutDialog
          profile={profile.name}
          onDone={(text) => setMessage({ text, error: false })}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

type OnMessage = (message: { text: string; error: boolean }) => void;

function RefreshButton({
  profile,
  onMessage,
}: {
  profile: string;
  onMessage: OnMessage;
}) {
  const api = useApi();
  const [pending, setPending] = useState(false);

  async function handleRefresh() {
    if (pending) return;
    setPending(true);
    const result = await settle(api.refreshToken({ profile }));
    setPending(false);
    if (!result.ok) {
      onMessage({ text: result.error.message, error: true });
      return;
    }
    const { expiresAt } = result.value;
    const until = expiresAt === null ? '' : `; it expires ${formatDateTime(expiresAt)}`;
    onMessage({ text: `Got a new token${until}.`, error: false });
  }

  return (
    <button
      type="button"
      className="button"
      data-detail-action="refresh"
      aria-disabled={pending}
      onClick={() => void handleRefresh()}
    >
      {pending ? 'Refreshing…' : 'Refresh'}
    </button>
  );
}

/**
 * Copies a fresh token. The token goes from the answer straight to the
 * clipboard: it is never put in the store or on the page.
 */
export function CopyTokenButton(props: { profile: string; onMessage: OnMessage }) {
  const api = useApi();
  const store = useAppStoreApi();
  const [pending, setPending] = useState(false);

  async function handleCopy() {
    if (pending) return;
    setPending(true);
    const result = await settle(api.getTokenForCopy({ profile: props.profile }));
    setPending(false);
    if (!result.ok) {
      props.onMessage({ text: result.error.message, error: true });
      return;
    }
    const { token, clipboardClearSeconds } = result.value;
    try {
      await copySecret(token, clipboardClearSeconds, (outcome) =>
        store.getState().noteDone(clearOutcomeWords[outcome]),
      );
      props.onMessage({ text: copiedWords(clipboardClearSeconds), error: false });
    } catch {
      props.onMessage({
        text: 'The token could not be put on the clipboard: the app is not allowed to write to it.',
        error: true,
      });
    }
  }

  return (
    <button
      type="button"
      className="button button-primary"
      data-detail-action="copy-token"
      aria-disabled={pending}
      onClick={() => void handleCopy()}
    >
      Copy token
    </button>
  );
}

function SignOutDialog(props: {
  profile: string;
  onDone: (description: string) => void;
  onClose: () => void;
}) {
  const api = useApi();

  async function handleSignOut() {
    const result = await settle(api.signOut({ profile: props.profile }));
    if (result.ok) {
      props.onDone(result.value.description);
    }
    return result;
  }

  return (
    <ConfirmDialog
      title={`Sign out of '${props.profile}'?`}
      confirmLabel="Sign out"
      danger
      onConfirm={handleSignOut}
      onDone={props.onClose}
      onCancel={props.onClose}
    >
      <p>
        This removes the profile&apos;s token and refresh token, and asks the auth server
        to revoke the refresh token. Its server addresses stay, so signing in again is one
        click.
      </p>
      <p>
        Commands and scripts that use this profile stop working until you sign in again.
      </p>
    </ConfirmDialog>
  );
}
