import { useState } from 'react';
import { formatDateTime } from '../../shared/expiry-status';
import type { KeychainStatus } from '../../shared/token-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { settle } from '../store/connect-api';
import { checkKeychain } from '../store/connect-tokens';
import { Dialog, FormError } from './dialog';

/** Opens the keychain panel; its name says when the keychain needs a look. */
export function KeychainButton() {
  const [open, setOpen] = useState(false);
  const healthy = useAppStore((state) => (state.keychain?.state ?? 'ok') === 'ok');

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Keychain
        {!healthy && (
          <>
            <span aria-hidden="true"> ⚠</span>
            <span className="visually-hidden"> (needs attention)</span>
          </>
        )}
      </button>
      {open && <KeychainPanel onClose={() => setOpen(false)} />}
    </>
  );
}

/** Whether the keychain works, in plain words, with a fresh check and the orphaned entries. */
export function KeychainPanel({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const status = useAppStore((state) => state.keychain);
  const [checking, setChecking] = useState(false);

  async function handleCheck() {
    if (checking) return;
    setChecking(true);
    await checkKeychain(api, store);
    setChecking(false);
  }

  return (
    <Dialog title="Keychain" onClose={onClose} wide>
      <div className="dialog-body">
        <KeychainHealth status={status} checking={checking} />
        <p>
          <button
            type="button"
            className="button"
            aria-disabled={checking}
            onClick={() => void handleCheck()}
          >
            {checking ? 'Checking…' : 'Check again'}
          </button>
        </p>
        {status !== null && <OrphanList orphans={status.orphans} />}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function KeychainHealth(props: { status: KeychainStatus | null; checking: boolean }) {
  const { status } = props;
  if (status === null) {
    return (
      <p role="status">
        {props.checking ? 'Checking the keychain…' : 'Not checked yet.'}
      </p>
    );
  }
  const ok = status.state === 'ok';

  return (
    <div className={ok ? 'notice notice-info' : 'notice notice-warning'} role="status">
      <p>
        <strong>{ok ? 'Keychain works.' : 'Keychain unavailable.'}</strong>{' '}
        {status.message}
      </p>
      <p className="form-hint">Checked {formatDateTime(status.checkedAt / 1000)}.</p>
    </div>
  );
}

function OrphanList({ orphans }: { orphans: string[] }) {
  if (orphans.length === 0) {
    return <p>No keychain entries are left over from deleted or renamed profiles.</p>;
  }

  return (
    <section aria-labelledby="orphans-title">
      <h3 id="orphans-title">Entries that belong to no profile</h3>
      <p className="form-hint">
        Sign-ins of profiles that were deleted or renamed elsewhere. Removing one deletes
        it from the keychain for good.
      </p>
      <ul className="orphan-list">
        {orphans.map((account) => (
          <OrphanItem key={account} account={account} />
        ))}
      </ul>
    </section>
  );
}

function OrphanItem({ account }: { account: string }) {
  const api = useApi();
  const store = useAppStoreApi();
  const [error, setError] = useState<string | null>(null);

  async function handleRemove() {
    const result = await settle(api.removeKeychainOrphans({ accounts: [account] }));
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    store.getState().receiveKeychainStatus(result.value.status);
    setError(result.value.problems[0] ?? null);
  }

  return (
    <li className="orphan-item">
      <code>{account}</code>{' '}
      <button
        type="button"
        className="button button-small button-danger-quiet"
        onClick={() => void handleRemove()}
      >
        Remove <span className="visually-hidden">{account}</span>
      </button>
      <FormError message={error} />
    </li>
  );
}
