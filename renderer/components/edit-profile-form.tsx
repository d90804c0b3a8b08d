import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { dooverClientId, dooverEnvironments } from '../../shared/environments';
import type { ProfileSummary } from '../../shared/profile-types';
import { useApi, useAppStoreApi } from '../app-context';
import {
  changedFields,
  formProblems,
  formValuesOf,
  keepSecret,
  type PlainTextKey,
  type ProfileFormValues,
  type SecretEdit,
} from '../profile-form';
import { settle } from '../store/connect-api';
import { takeReceipt } from '../store/receipts';
import { FormError } from './dialog';
import { CheckboxField, SecretField, TextField } from './form-fields';
import { useFormProblems } from './use-form-problems';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

interface EditProfileFormProps {
  profile: ProfileSummary;
  /** Leaves the form, saved or not. */
  onDone: () => void;
}

/**
 * Every field of a profile in one form. It remembers the values it opened
 * with and saves only the fields the user changed, so a token another
 * program renews meanwhile is not written back over.
 */
export function EditProfileForm({ profile, onDone }: EditProfileFormProps) {
  const api = useApi();
  const store = useAppStoreApi();
  const [initial] = useState(() => formValuesOf(profile));
  const [values, setValues] = useState(initial);
  const [token, setToken] = useState<SecretEdit>(keepSecret);
  const [refreshToken, setRefreshToken] = useState<SecretEdit>(keepSecret);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, shown, check } = useFormProblems(formProblems(values));
  const firstField = useFocusOnOpen();

  async function save() {
    const fields = changedFields(initial, values, { token, refreshToken });
    if (Object.keys(fields).length === 0) {
      onDone();
      return;
    }
    setPending(true);
    setError(null);
    const result = await settle(api.updateProfile({ name: profile.name, fields }));
    setPending(false);
    if (result.ok) {
      takeReceipt(store, result.value);
      onDone();
    } else {
      setError(result.error.message);
    }
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (check() && !pending) {
      void save();
    }
  }

  const text = (key: PlainTextKey | 'TOKEN_EXPIRES') => ({
    value: values[key],
    onValueChange: (value: string) => {
      setValues({ ...values, [key]: value });
      // A refusal was about the values as they were sent; it goes once they change.
      setError(null);
    },
    error: shown(key),
    fileKey: key,
  });

  return (
    <form
      ref={formRef}
      className="edit-form"
      aria-labelledby="edit-title"
      noValidate
      onSubmit={handleSubmit}
    >
      <h3 id="edit-title" className="edit-title">
        Edit the fields of &apos;{profile.name}&apos;
      </h3>
      <p className="form-hint">
        Only the fields you change are saved; the rest stay as they are in the file, even
        if another program changes them meanwhile.
      </p>
      <fieldset className="form-group">
        <legend>Token</legend>
        <SecretEditFields
          edit={token}
          onChange={setToken}
          label="New token"
          fileKey="TOKEN"
          noun="token"
          masked={profile.maskedToken}
          inputRef={firstField}
        />
        <TextField
          label="Token expires"
          type="datetime-local"
          step={1}
          {...text('TOKEN_EXPIRES')}
          hint={expiryHint(profile, token)}
        />
        <TextField label="Agent ID" {...text('AGENT_ID')} />
      </fieldset>
      <fieldset className="form-group">
        <legend>Refresh token</legend>
        <SecretEditFields
          edit={refreshToken}
          onChange={setRefreshToken}
          label="New refresh token"
          fileKey="REFRESH_TOKEN"
          noun="refresh token"
          masked={profile.maskedRefreshToken}
        />
        <TextField label="Refresh token ID" {...text('REFRESH_TOKEN_ID')} />
      </fieldset>
      <fieldset className="form-group">
        <legend>Servers</legend>
        <EnvironmentFill onFill={(servers) => setValues({ ...values, ...servers })} />
        <TextField label="Control API" type="url" {...text('BASE_URL')} />
        <TextField label="Data API" type="url" {...text('BASE_DATA_URL')} />
        <TextField label="Auth server" type="url" {...text('AUTH_SERVER_URL')} />
        <TextField label="Client ID" {...text('AUTH_SERVER_CLIENT_ID')} />
      </fieldset>
      <FormError message={error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending}>
          Save changes
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Puts focus in the form's first field when it opens. */
function useFocusOnOpen() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);

  return ref;
}

function expiryHint(profile: ProfileSummary, token: SecretEdit): string {
  const zone = `Your local time (${timeZone}). Empty means not set: Doover’s tools then read the expiry from the token.`;
  if (profile.unreadableTokenExpires !== null) {
    return `The file now holds “${profile.unreadableTokenExpires}”, which Doover’s tools cannot read. ${zone}`;
  }
  if (token.replacement !== '' && profile.tokenExpires !== null) {
    return `With a new token, empty this field unless you know the new expiry. ${zone}`;
  }

  return zone;
}

/** A secret replaced by pasting a new one, or removed; the current one is never shown. */
function SecretEditFields(props: {
  edit: SecretEdit;
  onChange: (edit: SecretEdit) => void;
  label: string;
  fileKey: string;
  noun: string;
  masked: string | null;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const hint =
    props.masked === null
      ? `Not set now. Paste a ${props.noun} to set it.`
      : `Now ${props.masked}. Leave empty to keep it.`;

  return (
    <>
      <SecretField
        label={props.label}
        fileKey={props.fileKey}
        noun={props.noun}
        hint={hint}
        disabled={props.edit.remove}
        onValueChange={(replacement) => props.onChange({ ...props.edit, replacement })}
        {...(props.inputRef === undefined ? {} : { inputRef: props.inputRef })}
      />
      {props.masked !== null && (
        <CheckboxField
          label={`Remove the ${props.noun}`}
          checked={props.edit.remove}
          onCheckedChange={(remove) => props.onChange({ ...props.edit, remove })}
        />
      )}
    </>
  );
}

/** Fills the server fields with a Doover environment's addresses and client id. */
function EnvironmentFill(props: {
  onFill: (servers: Partial<ProfileFormValues>) => void;
}) {
  return (
    <div className="fill-line">
      <span className="form-hint" aria-hidden="true">
        Fill in the addresses of:
      </span>
      {dooverEnvironments.map((environment) => (
        <button
          key={environment.id}
          type="button"
          className="button button-small"
          onClick={() =>
            props.onFill({
              BASE_URL: environment.baseUrl,
              BASE_DATA_URL: environment.dataBaseUrl,
              AUTH_SERVER_URL: environment.authServerUrl,
              AUTH_SERVER_CLIENT_ID: dooverClientId,
            })
          }
        >
          {environment.label}
        </button>
      ))}
    </div>
  );
}
