import { useState, type FormEvent } from 'react';
import { dooverEnvironments } from '../../shared/environments';
import { useApi, useAppStoreApi } from '../app-context';
import {
  emptyServerFields,
  newProfileFields,
  profileNameProblem,
  serverFieldsFor,
  urlProblem,
  type EnvironmentChoice,
  type ServerFields,
} from '../profile-form';
import { settle } from '../store/connect-api';
import { takeReceipt } from '../store/receipts';
import { Dialog, FormError } from './dialog';
import { SecretField, TextField } from './form-fields';
import { NameField, useNamedWrite, useProfileNames } from './name-dialogs';
import { useFormProblems } from './use-form-problems';
import { EnvironmentChoices } from './environment-choices';

/** Opens the form for a new profile. */
export function CreateProfileButton({ className }: { className?: string }) {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button
        type="button"
        className={className ?? 'button button-primary'}
        onClick={() => setOpen(true)}
      >
        New profile
      </button>
      {open && <CreateProfileDialog onClose={() => setOpen(false)} />}
    </>
  );
}

type Problems = Partial<Record<'name' | keyof ServerFields, string>>;

function problemsOf(
  name: string,
  environment: EnvironmentChoice,
  custom: ServerFields,
): Problems {
  const problems: Problems = {};
  const nameProblem = profileNameProblem(name);
  if (nameProblem !== null) {
    problems.name = nameProblem;
  }
  if (environment === 'custom') {
    for (const key of ['AUTH_SERVER_URL', 'BASE_URL', 'BASE_DATA_URL'] as const) {
      const problem = urlProblem(custom[key], true);
      if (problem !== null) {
        problems[key] = problem;
      }
    }
  }
  return problems;
}

/** The name Doover's own login gives an environment's profile, while it is free. */
function suggestedName(environment: EnvironmentChoice, names: string[]): string {
  const known = dooverEnvironments.find((candidate) => candidate.id === environment);
  const name = known?.defaultProfileName ?? '';

  return names.includes(name) ? '' : name;
}

/**
 * A new profile: a name, an environment (Production, Staging, or the four
 * settings of a custom one), and, if the user has them, a token and a refresh
 * token pasted by hand.
 */
export function CreateProfileDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const names = useProfileNames();
  const [environment, setEnvironment] = useState<EnvironmentChoice>('production');
  const [name, setName] = useState(() => suggestedName('production', names));
  const [nameTyped, setNameTyped] = useState(false);
  const [custom, setCustom] = useState(emptyServerFields);
  const [token, setToken] = useState('');
  const [refreshToken, setRefreshToken] = useState('');
  const { formRef, shown, check } = useFormProblems(
    problemsOf(name, environment, custom),
  );
  const write = useNamedWrite({
    send: (replace) =>
      settle(
        api.createProfile({
          name,
          fields: newProfileFields(serverFieldsFor(environment, custom), {
            token,
            refreshToken,
          }),
          ...(replace ? { replace: true } : {}),
        }),
      ),
    onWritten: (receipt) => {
      takeReceipt(store, receipt, name);
      onClose();
    },
  });

  function chooseEnvironment(choice: EnvironmentChoice) {
    setEnvironment(choice);
    if (!nameTyped) {
      setName(suggestedName(choice, names));
    }
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (check() && !write.pending) {
      void write.submit();
    }
  }

  return (
    <>
      <Dialog title="New profile" onClose={onClose} wide>
        <form ref={formRef} noValidate onSubmit={handleSubmit}>
          <NameField
            label="Name"
            value={name}
            onValueChange={(value) => {
              setName(value);
              setNameTyped(true);
            }}
            error={shown('name')}
            taken={names.includes(name)}
          />
          <EnvironmentChoices
            name="environment"
            showing="baseUrl"
            value={environment}
            onChange={chooseEnvironment}
          />
          {environment === 'custom' && (
            <CustomServerFields values={custom} onChange={setCustom} shown={shown} />
          )}
          <fieldset className="form-group">
            <legend>Tokens (optional)</legend>
            <p className="form-hint">
              Paste them only if you have them. Without a token, sign in later with this
              app’s Sign in button, or with <code>doover login</code>.
            </p>
            <SecretField
              label="Token"
              fileKey="TOKEN"
              noun="token"
              hint="Doover’s tools read its expiry from the token itself."
              onValueChange={setToken}
            />
            <SecretField
              label="Refresh token"
              fileKey="REFRESH_TOKEN"
              noun="refresh token"
              onValueChange={setRefreshToken}
            />
          </fieldset>
          <FormError message={write.error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary">
              Create profile
            </button>
          </div>
        </form>
      </Dialog>
      {write.replaceQuestion(
        name,
        `Creating this profile replaces it, and its token and addresses are lost.`,
      )}
    </>
  );
}

const customFields: { key: keyof ServerFields; label: string; placeholder: string }[] = [
  {
    key: 'AUTH_SERVER_URL',
    label: 'Auth server',
    placeholder: 'https://auth.example.com',
  },
  { key: 'BASE_URL', label: 'Control API', placeholder: 'https://api.example.com' },
  {
    key: 'BASE_DATA_URL',
    label: 'Data API',
    placeholder: 'https://data.example.com/api',
  },
  { key: 'AUTH_SERVER_CLIENT_ID', label: 'Client ID', placeholder: '' },
];

function CustomServerFields(props: {
  values: ServerFields;
  onChange: (values: ServerFields) => void;
  shown: (key: keyof ServerFields) => string | null;
}) {
  return (
    <fieldset className="form-group">
      <legend>Custom environment</legend>
      {customFields.map(({ key, label, placeholder }) => (
        <TextField
          key={key}
          label={label}
          fileKey={key}
          type={key === 'AUTH_SERVER_CLIENT_ID' ? 'text' : 'url'}
          placeholder={placeholder}
          value={props.values[key]}
          onValueChange={(value) => props.onChange({ ...props.values, [key]: value })}
          error={props.shown(key)}
          {...(key === 'AUTH_SERVER_CLIENT_ID'
            ? { hint: 'Needed to renew the token; your server’s administrator has it.' }
            : {})}
        />
      ))}
    </fieldset>
  );
}
