import { useEffect, useState } from 'react';
import { formatDateTime } from '../../shared/expiry-status';
import type {
  RefreshLogEntry,
  RefreshLogResult,
  RefreshTrigger,
} from '../../shared/token-types';
import { useApi } from '../app-context';
import { settle } from '../store/connect-api';
import { Dialog, FormError } from './dialog';

const triggerWords: Record<RefreshTrigger, string> = {
  scheduled: 'On schedule',
  wake: 'After sleep or unlock',
  button: 'Refresh button',
  copy: 'Copy token',
  'command line': 'Command line',
  'new sign-in': 'Service account added',
};

const resultWords: Record<RefreshLogResult, string> = {
  renewed: 'Renewed',
  'needs-sign-in': 'Needs sign-in again',
  failed: 'Failed',
  'keychain-locked': 'Keychain locked',
};

/** Opens the renewal log; with `profile`, only that profile's renewals. */
export function RenewalLogButton({ profile }: { profile?: string }) {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {profile === undefined ? 'Renewal log' : 'Renewal log…'}
      </button>
      {open && (
        <RenewalLogDialog
          {...(profile === undefined ? {} : { profile })}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

/**
 * The last renewal attempts, newest first: when, which profile, what started
 * it, how it ended and why. New attempts appear while it is open.
 */
export function RenewalLogDialog(props: { profile?: string; onClose: () => void }) {
  const { entries, error } = useRefreshLog();
  const { profile } = props;
  const shown =
    entries === null || profile === undefined
      ? entries
      : entries.filter((entry) => entry.profile === profile);

  return (
    <Dialog
      title={profile === undefined ? 'Renewal log' : `Renewal log of ${profile}`}
      onClose={props.onClose}
      wide
    >
      <div className="dialog-body">
        <FormError message={error} />
        <RenewalLogTable entries={shown} />
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** The log as main keeps it, then each new entry as main tells of it. */
function useRefreshLog(): { entries: RefreshLogEntry[] | null; error: string | null } {
  const api = useApi();
  const [entries, setEntries] = useState<RefreshLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const unsubscribe = api.onRefreshLogEntry((entry) =>
      setEntries((current) => [entry, ...(current ?? [])]),
    );
    void settle(api.getRefreshLog({})).then((result) => {
      if (!live) return;
      // Entries told of while the list was on its way are in it already.
      setEntries(result.ok ? result.value : []);
      setError(result.ok ? null : result.error.message);
    });

    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);

  return { entries, error };
}

function RenewalLogTable({ entries }: { entries: RefreshLogEntry[] | null }) {
  if (entries === null) {
    return <p role="status">Reading the renewal log…</p>;
  }
  if (entries.length === 0) {
    return <p>No renewals yet. Each attempt to renew a token is listed here.</p>;
  }

  return (
    <table className="history-table">
      <caption className="visually-hidden">Renewal attempts, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Profile</th>
          <th scope="col">Started by</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry, index) => (
          <tr key={`${entry.at}-${entry.profile}-${index}`}>
            <td>{formatDateTime(entry.at / 1000)}</td>
            <th scope="row">{entry.profile}</th>
            <td>{triggerWords[entry.trigger]}</td>
            <td>{resultWords[entry.result]}</td>
            <td>{entry.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
