import { useEffect, useState } from 'react';
import type { PreservedBlock, PreservedBlockText } from '../../shared/profile-types';
import { fail, type AppError } from '../../shared/result';
import { useApi, useAppStoreApi } from '../app-context';
import { settle } from '../store/connect-api';
import { takeReceipt } from '../store/receipts';
import { ConfirmDialog, Dialog, FormError } from './dialog';

/** Opens one kept entry of the file, read-only. */
export function ViewPreservedBlockButton(props: {
  index: number;
  block: PreservedBlock;
}) {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        View… <span className="visually-hidden">entry {props.block.label}</span>
      </button>
      {open && (
        <PreservedBlockDialog
          index={props.index}
          block={props.block}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

/** Reads the entry's text from main once, when the dialog opens. */
function useBlockText(index: number) {
  const api = useApi();
  const [text, setText] = useState<PreservedBlockText | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let current = true;
    void settle(api.getPreservedBlock({ index })).then((result) => {
      if (current) {
        if (result.ok) {
          setText(result.value);
        } else {
          setError(result.error);
        }
      }
    });
    return () => {
      current = false;
    };
  }, [api, index]);

  return { text, error };
}

/**
 * An entry of the file the app does not manage, shown as it is (with values
 * of secret-looking keys hidden by main) and offered only for deletion.
 */
function PreservedBlockDialog(props: {
  index: number;
  block: PreservedBlock;
  onClose: () => void;
}) {
  const api = useApi();
  const store = useAppStoreApi();
  const { text, error } = useBlockText(props.index);
  const [confirming, setConfirming] = useState(false);

  async function handleDelete() {
    if (text === null) {
      return fail('not-found', 'The entry is still being read.');
    }
    const result = await settle(
      api.deletePreservedBlock({ index: props.index, fingerprint: text.fingerprint }),
    );
    if (result.ok) {
      takeReceipt(store, result.value);
    }
    return result;
  }

  return (
    <>
      <Dialog title="An entry this app does not manage" onClose={props.onClose} wide>
        <p className="dialog-body">
          {props.block.reason} It is kept byte for byte. This app does not change it; you
          can only delete it.
        </p>
        <BlockText text={text} />
        <FormError message={error?.message ?? null} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onClose}>
            Close
          </button>
          <button
            type="button"
            className="button button-danger"
            aria-disabled={text === null}
            onClick={() => text !== null && setConfirming(true)}
          >
            Delete entry…
          </button>
        </div>
      </Dialog>
      {confirming && (
        <ConfirmDialog
          title="Delete this entry?"
          confirmLabel="Delete entry"
          danger
          onConfirm={handleDelete}
          onDone={props.onClose}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The entry starting with <code>{props.block.label}</code> is removed from the
            profiles file. Nothing else in the file changes.
          </p>
          <p>The file as it is now is kept under History, should you need it back.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function BlockText({ text }: { text: PreservedBlockText | null }) {
  if (text === null) {
    return <p role="status">Reading the entry…</p>;
  }

  return (
    <>
      <pre className="block-text" tabIndex={0} aria-label="The entry’s text">
        {text.text}
      </pre>
      <p className="form-hint">Values of keys that look secret are hidden (••••••••).</p>
    </>
  );
}
