import { useState } from 'react';
import type { ProfileSummary } from '../../shared/profile-types';
import type { SignInStore } from '../../shared/token-types';
import { useApi, useAppStoreApi } from '../app-context';
import { settle } from '../store/connect-api';
import { loadSettings } from '../store/connect-tokens';
import { canRenew, useProfileSettings } from './token-actions';

const placeWords: Record<SignInStore, string> = {
  keychain: 'Keychain (protected)',
  file: 'Config file (command-line tools can renew it themselves)',
};

const tradeOff: Record<SignInStore, string> = {
  keychain:
    'The refresh token is kept in your system’s keychain, out of reach of other programs. Command-line tools keep working while this app renews the token in the file.',
  file: 'The refresh token is in ~/.doover/config, so doover and pydoover can renew the token without this app, but any program that can read the file can use it.',
};

/** Where a profile's sign-in lives, why that matters, and a move to the other place. */
export function SignInPlace({ profile }: { profile: ProfileSummary }) {
  const settings = useProfileSettings(profile.name);
  const api = useApi();
  const store = useAppStoreApi();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  if (!canRenew(profile, settings)) {
    return null;
  }
  const place = settings.signInStore;
  const other: SignInStore = place === 'keychain' ? 'file' : 'keychain';
  const serviceAccount = settings.kind === 'service-account';

  async function handleMove() {
    if (pending) return;
    setPending(true);
    const result = await settle(api.moveSignIn({ profile: profile.name, to: other }));
    setPending(false);
    setMessage(
      result.ok
        ? { text: result.value.message, error: false }
        : { text: result.error.message, error: true },
    );
    await loadSettings(api, store);
  }

  return (
    <section className="sign-in-place" aria-label="Where the sign-in lives">
      <p>
        <span className="form-label">Sign-in kept in: </span>
        <strong data-sign-in-place={place}>{placeWords[place]}</strong>
      </p>
      <p className="form-hint">
        {serviceAccount
          ? 'A service account’s client secret is kept only in the keychain.'
          : tradeOff[place]}
      </p>
      {!serviceAccount && (
        <button
          type="button"
          className="button button-small"
          data-detail-action="move-sign-in"
          aria-disabled={pending}
          onClick={() => void handleMove()}
        >
          {other === 'file' ? 'Move to the config file' : 'Move to the keychain'}
        </button>
      )}
      <p className={message?.error === true ? 'form-error' : 'form-hint'} role="status">
        {message?.text}
      </p>
    </section>
  );
}
