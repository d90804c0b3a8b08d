import { useEffect, useState } from 'react';
import { formatDateTime } from '../../shared/expiry-status';
import type { HistoryEntry } from '../../shared/profile-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { loadHistory, settle } from '../store/connect-api';
import { takeReceipt } from '../store/receipts';
import { ConfirmDialog } from './dialog';

function when(entry: HistoryEntry): string {
  return formatDateTime(entry.replacedAt / 1000);
}

function namesInWords(names: string[]): string {
  return names.length === 0 ? 'No profiles' : names.join(', ');
}

/**
 * The versions of the profiles file the app replaced, newest first, each
 * with the change that replaced it and a Restore button. Listed again
 * whenever the file changes, since each of the app's own saves adds one.
 */
export function HistoryView() {
  const api = useApi();
  const store = useAppStoreApi();
  const history = useAppStore((state) => state.history);
  const error = useAppStore((state) => state.historyError);
  const path = useAppStore((state) => state.snapshot?.path ?? null);
  const readAt = useAppStore((state) => state.snapshot?.readAt ?? 0);
  const [restoring, setRestoring] = useState<HistoryEntry | null>(null);

  useEffect(() => {
    void loadHistory(api, store);
  }, [api, store, readAt]);

  return (
    <section className="history" aria-labelledby="history-title">
      <header className="history-header">
        <h2 id="history-title" tabIndex={-1}>
          History
        </h2>
        <p>
          The last versions of{' '}
          {path === null ? 'the profiles file' : <code className="path">{path}</code>}{' '}
          that this app replaced, newest first. Restoring one makes it the whole file
          again; the version it replaces is kept here in turn.
        </p>
      </header>
      {error !== null && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <HistoryTable history={history} onRestore={setRestoring} />
      {restoring !== null && (
        <RestoreDialog entry={restoring} onClose={() => setRestoring(null)} />
      )}
    </section>
  );
}

function HistoryTable(props: {
  history: HistoryEntry[] | null;
  onRestore: (entry: HistoryEntry) => void;
}) {
  if (props.history === null) {
    return <p role="status">Reading the history…</p>;
  }
  if (props.history.length === 0) {
    return (
      <p className="history-empty">
        This app has not replaced the file yet. Each time it saves a change, the version
        before it is kept here.
      </p>
    );
  }

  return (
    <table className="history-table">
      <caption className="visually-hidden">Kept versions of the profiles file</caption>
      <thead>
        <tr>
          <th scope="col">Replaced</th>
          <th scope="col">By this change</th>
          <th scope="col">Profiles in that version</th>
          <th scope="col">
            <span className="visually-hidden">Restore</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.history.map((entry) => (
          <tr key={entry.id}>
            <td className="history-when">{when(entry)}</td>
            <td>{entry.replacedBy}</td>
            <td>{namesInWords(entry.profileNames)}</td>
            <td className="history-action">
              <button
                type="button"
                className="button button-small"
                onClick={() => props.onRestore(entry)}
              >
                Restore…{' '}
                <span className="visually-hidden">the version from {when(entry)}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RestoreDialog(props: { entry: HistoryEntry; onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const { entry } = props;

  async function handleRestore() {
    const result = await settle(api.restoreHistory({ id: entry.id }));
    if (result.ok) {
      takeReceipt(store, result.value);
    }
    return result;
  }

  return (
    <ConfirmDialog
      title="Restore this version?"
      confirmLabel="Restore"
      onConfirm={handleRestore}
      onDone={props.onClose}
      onCancel={props.onClose}
      fallbackFocus={() => document.querySelector<HTMLElement>('#history-title')}
    >
      <p>
        The profiles file goes back to how it was on {when(entry)}, before “
        {entry.replacedBy}”.
      </p>
      <p>It then holds: {namesInWords(entry.profileNames)}.</p>
      <p>
        Everything changed since, by this app or by other programs, is replaced. The file
        as it is now is kept in this history, so you can come back to it.
      </p>
    </ConfirmDialog>
  );
}
