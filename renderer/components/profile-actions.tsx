import { useState, type ReactNode, type Ref } from 'react';
import { formatDateTime } from '../../shared/expiry-status';
import type { ExpiryRepair, ProfileSummary } from '../../shared/profile-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { settle } from '../store/connect-api';
import { takeReceipt } from '../store/receipts';
import { ConfirmDialog } from './dialog';
import { DuplicateDialog, RenameDialog } from './name-dialogs';

/** The changes to a profile that open a dialog first. */
export type ProfileAction = 'rename' | 'duplicate' | 'delete';

/** The buttons that change the selected profile. */
export function ProfileActions({
  onEdit,
  onAction,
  editButtonRef,
}: {
  onEdit: () => void;
  onAction: (action: ProfileAction) => void;
  editButtonRef: Ref<HTMLButtonElement>;
}) {
  return (
    <div className="detail-actions">
      <button
        ref={editButtonRef}
        type="button"
        className="button"
        data-detail-action="edit"
        onClick={onEdit}
      >
        Edit
      </button>
      <button
        type="button"
        className="button"
        data-detail-action="rename"
        onClick={() => onAction('rename')}
      >
        Rename…
      </button>
      <button
        type="button"
        className="button"
        data-detail-action="duplicate"
        onClick={() => onAction('duplicate')}
      >
        Duplicate…
      </button>
      <button
        type="button"
        className="button button-danger-quiet"
        data-detail-action="delete"
        onClick={() => onAction('delete')}
      >
        Delete…
      </button>
    </div>
  );
}

/**
 * The dialog of an action on a profile. It outlives the pane that opened it,
 * so it stays open (and says what went wrong) when the profile changes under
 * it, and closes only once its change is done.
 */
export function ProfileActionDialog(props: {
  action: ProfileAction;
  profile: ProfileSummary;
  onClose: () => void;
}) {
  switch (props.action) {
    case 'rename':
      return <RenameDialog profile={props.profile} onClose={props.onClose} />;
    case 'duplicate':
      return <DuplicateDialog profile={props.profile} onClose={props.onClose} />;
    case 'delete':
      return <DeleteProfileDialog profile={props.profile} onClose={props.onClose} />;
  }
}

/** What deleting a profile takes away with it, in words. */
export function whatGoes(profile: ProfileSummary): string[] {
  const hasServers = [profile.baseUrl, profile.dataBaseUrl, profile.authServerUrl].some(
    (url) => url !== null,
  );
  const parts = [
    profile.hasToken ? 'its token' : null,
    profile.hasRefreshToken
      ? 'its refresh token (signing in again is the only way to get a new one)'
      : null,
    profile.agentId === null ? null : 'its agent ID',
    hasServers ? `its server addresses (${profile.environment.label})` : null,
    profile.ignoredKeys.length > 0
      ? `the other keys of its entry: ${profile.ignoredKeys.join(', ')}`
      : null,
  ];
  const named = parts.filter((part) => part !== null);

  return named.length > 0 ? named : ['its name (it holds no values)'];
}

function DeleteProfileDialog(props: { profile: ProfileSummary; onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const path = useAppStore((state) => state.snapshot?.path ?? null);
  const { name } = props.profile;

  async function handleDelete() {
    const result = await settle(api.deleteProfile({ name }));
    if (result.ok) {
      store.getState().receiveSnapshot(result.value.snapshot);
      store.getState().noteUndoable(result.value.description, result.value.undo);
    }
    return result;
  }

  return (
    <ConfirmDialog
      title={`Delete profile '${name}'?`}
      confirmLabel="Delete profile"
      danger
      onConfirm={handleDelete}
      onDone={props.onClose}
      onCancel={props.onClose}
      fallbackFocus={() => document.querySelector<HTMLElement>('[data-undo-button]')}
    >
      <p>
        This removes &apos;{name}&apos; from{' '}
        {path === null ? 'the profiles file' : <code className="path">{path}</code>}, with
        everything in it:
      </p>
      <ul>
        {whatGoes(props.profile).map((part) => (
          <li key={part}>{part}</li>
        ))}
      </ul>
      <p>
        Commands and scripts that use this profile will no longer find it. You can undo
        this for a few seconds afterwards.
      </p>
    </ConfirmDialog>
  );
}

/** A small button beside a problem, opening the dialog that mends it. */
function MendButton(props: {
  label: string;
  action: string;
  dialog: (onClose: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-detail-action={props.action}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      {open && props.dialog(() => setOpen(false))}
    </>
  );
}

/** Offers to separate the profiles that run into this one with no blank line between. */
export function SeparateProfilesButton({ profile }: { profile: ProfileSummary }) {
  return (
    <MendButton
      label="Separate profiles…"
      action="separate"
      dialog={(onClose) => <SeparateProfilesDialog profile={profile} onClose={onClose} />}
    />
  );
}

/**
 * Explains what Doover's tools read while profiles run into one another (one
 * profile, the later values winning) and after the blank line goes in (each
 * profile with its own values), then separates them.
 */
function SeparateProfilesDialog(props: { profile: ProfileSummary; onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const { name, joinedProfiles } = props.profile;
  const others = inWords.format(joinedProfiles.map((each) => `'${each}'`));
  const one = joinedProfiles.length === 1;
  // A string, so the selector's answer stays the same while the names do.
  const taken = useAppStore((state) =>
    (state.snapshot?.profiles ?? [])
      .filter((each) => each.name !== name && joinedProfiles.includes(each.name))
      .map((each) => `'${each.name}'`)
      .join(', '),
  );

  async function handleSeparate() {
    const result = await settle(api.separateJoinedProfiles({ name }));
    if (result.ok) {
      takeReceipt(store, result.value);
    }
    return result;
  }

  return (
    <ConfirmDialog
      title={`Separate the profiles inside '${name}'?`}
      confirmLabel="Separate profiles"
      onConfirm={handleSeparate}
      onDone={props.onClose}
      onCancel={props.onClose}
      fallbackFocus={() => document.querySelector<HTMLElement>('#detail-title')}
    >
      <p>
        {one ? 'Profile' : 'Profiles'} {others} {one ? 'starts' : 'start'} right after the
        keys of &apos;{name}&apos;, with no blank line before {one ? 'it' : 'them'}.
      </p>
      <p>
        <strong>Now</strong> Doover’s tools read them as one profile, &apos;{name}&apos;:
        where both set the same key, &apos;{name}&apos; gets the later value, and {others}{' '}
        {one ? 'is' : 'are'} not seen at all.
      </p>
      <p>
        <strong>After</strong> a blank line goes in before each of {others}, and nothing
        else in the file changes. Doover’s tools then read &apos;{name}&apos; and {others}{' '}
        as separate profiles, each with its own values.
      </p>
      {taken !== '' && (
        <p>
          The file already has a profile named {taken}; Doover’s tools use whichever entry
          of that name comes last.
        </p>
      )}
      <p>The file as it is now is kept under History.</p>
    </ConfirmDialog>
  );
}

const inWords = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/** Offers to repair a TOKEN_EXPIRES pydoover cannot read. */
export function RepairExpiryButton({ profile }: { profile: ProfileSummary }) {
  return (
    <MendButton
      label="Repair…"
      action="repair"
      dialog={(onClose) => <RepairExpiryDialog profile={profile} onClose={onClose} />}
    />
  );
}

/**
 * Explains why an unreadable TOKEN_EXPIRES matters (every doover command
 * fails) and repairs it: the token's own expiry written in, or the field
 * cleared.
 */
function RepairExpiryDialog(props: { profile: ProfileSummary; onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const { profile } = props;
  const tokenExpiry = profile.expirySource === 'jwt' ? profile.expiresAt : null;
  const [repair, setRepair] = useState<ExpiryRepair>(
    tokenExpiry === null ? 'clear' : 'from-token',
  );

  async function handleRepair() {
    const result = await settle(api.repairExpiry({ name: profile.name, repair }));
    if (result.ok) {
      takeReceipt(store, result.value);
    }
    return result;
  }

  return (
    <ConfirmDialog
      title={`Repair the expiry of '${profile.name}'?`}
      confirmLabel="Repair"
      onConfirm={handleRepair}
      onDone={props.onClose}
      onCancel={props.onClose}
      fallbackFocus={() => document.querySelector<HTMLElement>('#detail-title')}
    >
      <p>
        Its <code>TOKEN_EXPIRES</code> holds “{profile.unreadableTokenExpires}”, which is
        not a number of seconds. Doover’s tools cannot read it, so{' '}
        <strong>
          every <code>doover</code> command fails, <code>doover login</code> included,
        </strong>{' '}
        until it is repaired.
      </p>
      <fieldset className="form-group">
        <legend>Repair it by</legend>
        <label className="choice">
          <input
            type="radio"
            name="repair"
            checked={repair === 'from-token'}
            disabled={tokenExpiry === null}
            onChange={() => setRepair('from-token')}
          />
          <span className="choice-label">Writing the expiry the token carries</span>
          <span className="choice-detail">
            {tokenExpiry === null
              ? 'Not possible: the token carries no expiry this app can read.'
              : formatDateTime(tokenExpiry)}
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name="repair"
            checked={repair === 'clear'}
            onChange={() => setRepair('clear')}
          />
          <span className="choice-label">Clearing it</span>
          <span className="choice-detail">
            Doover’s tools then read the expiry from the token itself.
          </span>
        </label>
      </fieldset>
    </ConfirmDialog>
  );
}
