import { useEffect, useRef, useState, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { settle } from '../store/connect-api';
import { isCurrent, type Notice } from '../store/notices-slice';
import { takeReceipt } from '../store/receipts';

// More than this many changes by other programs are summed up as "and N earlier".
const SHOWN_FILE_CHANGES = 5;

/**
 * Short notes in a corner: what the app just did (with Undo after a
 * deletion) and what other programs changed in the file. One polite live
 * region, so screen readers hear each new note once, without interrupting.
 */
export function Notifications() {
  const notices = useAppStore(
    useShallow((state) => state.notices.filter((notice) => isCurrent(notice, state.now))),
  );
  const fileChanges = notices.filter((notice) => notice.kind === 'file-change');

  return (
    <div
      className="notifications"
      role="log"
      aria-live="polite"
      aria-label="Notifications"
    >
      {notices.map((notice) =>
        notice.kind === 'file-change' ? null : <Toast key={notice.id} notice={notice} />,
      )}
      {fileChanges.length > 0 && <FileChanges changes={fileChanges} />}
    </div>
  );
}

function Toast({ notice }: { notice: Exclude<Notice, { kind: 'file-change' }> }) {
  const dismiss = useAppStore((state) => state.dismissNotice);

  return (
    <div className="toast">
      <p className="toast-message">{notice.message}</p>
      {notice.kind === 'undo' && <UndoButton notice={notice} />}
      <DismissButton onClick={() => dismiss(notice.id)} />
    </div>
  );
}

/** Puts a deleted profile back, while main still allows it. */
function UndoButton({ notice }: { notice: Extract<Notice, { kind: 'undo' }> }) {
  const api = useApi();
  const store = useAppStoreApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLButtonElement>(null);
  useFocusRestoredProfile(ref);

  async function handleUndo() {
    if (pending) {
      return;
    }
    setPending(true);
    const result = await settle(api.undoDeleteProfile({ undoId: notice.undo.undoId }));
    setPending(false);
    if (result.ok) {
      takeReceipt(store, result.value, notice.undo.profile);
      store.getState().dismissNotice(notice.id);
    } else {
      setError(result.error.message);
    }
  }

  return (
    <>
      <button
        ref={ref}
        type="button"
        className="button button-small button-primary"
        data-undo-button
        aria-disabled={pending}
        onClick={() => void handleUndo()}
      >
        Undo{' '}
        <span className="visually-hidden">
          deleting &apos;{notice.undo.profile}&apos;
        </span>
      </button>
      {error !== null && <p className="form-error">{error}</p>}
    </>
  );
}

/** When the Undo button goes while it has focus, focus moves to the profile it put back. */
function useFocusRestoredProfile(ref: RefObject<HTMLButtonElement | null>) {
  useEffect(() => {
    const button = ref.current;
    return () => {
      if (button !== null && document.activeElement === document.body) {
        document.querySelector<HTMLElement>('#detail-title')?.focus();
      }
    };
  }, [ref]);
}

function FileChanges({ changes }: { changes: Notice[] }) {
  const dismissAll = useAppStore((state) => state.dismissFileChanges);
  const shown = changes.slice(-SHOWN_FILE_CHANGES);
  const earlier = changes.length - shown.length;

  return (
    <div className="toast toast-file-changes">
      <div className="toast-body">
        <p className="toast-title">Changed by another program</p>
        <ul className="file-change-list">
          {shown.map((change) => (
            <li key={change.id}>{change.message}</li>
          ))}
        </ul>
        {earlier > 0 && (
          <p className="toast-more">
            and {earlier} earlier {earlier === 1 ? 'change' : 'changes'}
          </p>
        )}
      </div>
      <DismissButton onClick={dismissAll} noun="these notes" />
    </div>
  );
}

function DismissButton({ onClick, noun }: { onClick: () => void; noun?: string }) {
  return (
    <button type="button" className="button button-small button-quiet" onClick={onClick}>
      Dismiss{noun !== undefined && ' '}
      {noun !== undefined && <span className="visually-hidden">{noun}</span>}
    </button>
  );
}
