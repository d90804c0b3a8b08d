import { useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ProfileSummary, ProfileWriteReceipt } from '../../shared/profile-types';
import type { Result } from '../../shared/result';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { profileNameProblem, suggestedCopyName } from '../profile-form';
import { settle } from '../store/connect-api';
import { takeReceipt } from '../store/receipts';
import { selectProfiles } from '../store/selectors';
import { ConfirmDialog, Dialog, FormError } from './dialog';
import { TextField } from './form-fields';
import { useFormProblems } from './use-form-problems';

/** The names of the profiles in the file, in file order. */
export function useProfileNames(): string[] {
  return useAppStore(
    useShallow((state) => selectProfiles(state).map(({ name }) => name)),
  );
}

/** A name input that explains pydoover's naming rules and says when a name is taken. */
export function NameField(props: {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  error: string | null;
  /** True when another profile already has this name. */
  taken: boolean;
}) {
  return (
    <TextField
      label={props.label}
      value={props.value}
      onValueChange={props.onValueChange}
      error={props.error}
      hint={
        props.taken
          ? `A profile named '${props.value}' already exists: you will be asked before it is replaced.`
          : 'Any name without a line break or spaces at either end; Doover’s own login uses “default”.'
      }
    />
  );
}

interface NamedWrite {
  /** Sends the change; `replace` allows it to take the place of a profile of that name. */
  send: (replace: boolean) => Promise<Result<ProfileWriteReceipt>>;
  onWritten: (receipt: ProfileWriteReceipt) => void;
}

/**
 * Sends a change that gives a profile a name. When main answers that the name
 * is taken, it asks before sending it again as a replacement.
 */
export function useNamedWrite({ send, onWritten }: NamedWrite) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [askingToReplace, setAskingToReplace] = useState(false);

  async function submit() {
    setPending(true);
    setError(null);
    const result = await send(false);
    setPending(false);
    if (result.ok) {
      onWritten(result.value);
    } else if (result.error.code === 'conflict') {
      setAskingToReplace(true);
    } else {
      setError(result.error.message);
    }
  }

  async function replace(): Promise<Result<ProfileWriteReceipt>> {
    const result = await send(true);
    if (result.ok) {
      onWritten(result.value);
    }
    return result;
  }

  /** The question to show while asking; null otherwise. */
  function replaceQuestion(name: string, consequence: ReactNode) {
    return askingToReplace ? (
      <ConfirmDialog
        title={`Replace profile '${name}'?`}
        confirmLabel="Replace it"
        danger
        onConfirm={replace}
        onDone={() => setAskingToReplace(false)}
        onCancel={() => setAskingToReplace(false)}
      >
        <p>A profile named &apos;{name}&apos; already exists.</p>
        <p>{consequence}</p>
        <p>The file as it is now is kept under History, should you need it back.</p>
      </ConfirmDialog>
    ) : null;
  }

  return { pending, error, submit, replaceQuestion };
}

/** Focus for when the pane that held the button is gone: the same button in the new pane. */
export function focusDetailAction(action: string): () => HTMLElement | null {
  return () => document.querySelector<HTMLElement>(`[data-detail-action="${action}"]`);
}

interface NameDialogProps {
  title: string;
  label: string;
  initialName: string;
  /** The name the profile has now, which the dialog may keep (rename). */
  ownName: string | null;
  submitLabel: string;
  /** What replacing a profile of the chosen name would do, in words. */
  consequence: (name: string) => string;
  send: (name: string, replace: boolean) => Promise<Result<ProfileWriteReceipt>>;
  fallbackAction: string;
  onClose: () => void;
}

/** Asks for a profile name, checks it, then writes; rename and duplicate both use it. */
function NameDialog(props: NameDialogProps) {
  const store = useAppStoreApi();
  const names = useProfileNames();
  const [name, setName] = useState(props.initialName);
  const { formRef, shown, check } = useFormProblems({
    name: profileNameProblem(name) ?? undefined,
  });
  const write = useNamedWrite({
    send: (replace) => props.send(name, replace),
    onWritten: (receipt) => {
      takeReceipt(store, receipt, name);
      props.onClose();
    },
  });

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!check() || write.pending) {
      return;
    }
    if (name === props.ownName) {
      props.onClose();
      return;
    }
    void write.submit();
  }

  return (
    <>
      <Dialog
        title={props.title}
        onClose={props.onClose}
        fallbackFocus={focusDetailAction(props.fallbackAction)}
      >
        <form ref={formRef} noValidate onSubmit={handleSubmit}>
          <NameField
            label={props.label}
            value={name}
            onValueChange={setName}
            error={shown('name')}
            taken={name !== props.ownName && names.includes(name)}
          />
          <FormError message={write.error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={props.onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary">
              {props.submitLabel}
            </button>
          </div>
        </form>
      </Dialog>
      {write.replaceQuestion(name, props.consequence(name))}
    </>
  );
}

/** Renames a profile; a taken name is replaced only after asking. */
export function RenameDialog(props: { profile: ProfileSummary; onClose: () => void }) {
  const api = useApi();
  const { name } = props.profile;

  return (
    <NameDialog
      title={`Rename profile '${name}'`}
      label="New name"
      initialName={name}
      ownName={name}
      submitLabel="Rename"
      consequence={(newName) =>
        `Renaming '${name}' to '${newName}' replaces that profile, and its token and addresses are lost.`
      }
      send={(newName, replace) =>
        settle(
          api.renameProfile({ name, newName, ...(replace ? { replace: true } : {}) }),
        )
      }
      fallbackAction="rename"
      onClose={props.onClose}
    />
  );
}

/** Copies a profile under a new name, "Copy of NAME" unless the user types another. */
export function DuplicateDialog(props: { profile: ProfileSummary; onClose: () => void }) {
  const api = useApi();
  const names = useProfileNames();
  const { name } = props.profile;
  const [suggested] = useState(() => suggestedCopyName(name, new Set(names)));

  return (
    <NameDialog
      title={`Duplicate profile '${name}'`}
      label="Name of the copy"
      initialName={suggested}
      ownName={null}
      submitLabel="Duplicate"
      consequence={(newName) =>
        `The copy of '${name}' takes the place of '${newName}', whose token and addresses are lost.`
      }
      send={(newName, replace) =>
        settle(
          api.duplicateProfile({ name, newName, ...(replace ? { replace: true } : {}) }),
        )
      }
      fallbackAction="duplicate"
      onClose={props.onClose}
    />
  );
}
