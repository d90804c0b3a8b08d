import { useState } from 'react';
import type { SecretField } from '../../shared/profile-types';
import { useApi } from '../app-context';

interface SecretValueProps {
  profile: string;
  field: SecretField;
  /** The masked form from the snapshot, or null when the profile has no such secret. */
  masked: string | null;
  /** What the secret is called, for the button's accessible name ("token"). */
  noun: string;
}

/**
 * A secret shown masked until the user asks for it. The clear value lives in
 * this component's state only: it is gone when the user hides it or the
 * component unmounts (another profile selected, or the secret changed).
 */
export function SecretValue({ profile, field, masked, noun }: SecretValueProps) {
  const api = useApi();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (masked === null) {
    return <span className="not-set">Not set</span>;
  }

  async function handleShow() {
    setPending(true);
    setError(null);
    const result = await api.revealSecret({ profile, field });
    setPending(false);
    if (result.ok) {
      setRevealed(result.value.value);
    } else {
      setError(result.error.message);
    }
  }

  const shown = revealed !== null;

  return (
    <div className="secret">
      <div className="secret-line">
        <code className={shown ? 'secret-value secret-revealed' : 'secret-value'}>
          {revealed ?? masked}
        </code>
        <button
          type="button"
          className="button button-small"
          disabled={pending}
          onClick={shown ? () => setRevealed(null) : () => void handleShow()}
        >
          {shown ? 'Hide' : 'Show'} <span className="visually-hidden">{noun}</span>
        </button>
      </div>
      {error !== null && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
