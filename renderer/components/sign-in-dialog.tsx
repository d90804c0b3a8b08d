import { toString as qrCodeSvg } from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { dooverEnvironments } from '../../shared/environments';
import { formatCountdown } from '../../shared/expiry-status';
import type { CallRequest } from '../../shared/contract';
import type { ProfileSummary } from '../../shared/profile-types';
import type {
  SignInEnvironment,
  SignInProgress,
  SignInStarted,
} from '../../shared/token-types';
import { useApi, useAppStore, useAppStoreApi } from '../app-context';
import { profileNameProblem, urlProblem } from '../profile-form';
import { settle } from '../store/connect-api';
import { ConfirmDialog, Dialog, FormError } from './dialog';
import { TextField } from './form-fields';
import { useProfileNames } from './name-dialogs';
import { EnvironmentChoices } from './environment-choices';

/** The servers of a custom environment, as the sign-in asks for them. */
export interface CustomServers {
  authServerUrl: string;
  baseUrl: string;
  dataBaseUrl: string;
  clientId: string;
}

/** What the sign-in form starts with. */
export interface SignInDefaults {
  profile: string;
  environment: SignInEnvironment;
  custom: CustomServers;
}

const noServers: CustomServers = {
  authServerUrl: '',
  baseUrl: '',
  dataBaseUrl: '',
  clientId: '',
};

/** The name `doover login` gives an environment's profile. */
function defaultNameFor(environment: SignInEnvironment): string {
  return (
    dooverEnvironments.find((known) => known.id === environment)?.defaultProfileName ?? ''
  );
}

/** A new sign-in to Production, as `doover login` starts. */
export const freshSignIn: SignInDefaults = {
  profile: 'default',
  environment: 'production',
  custom: noServers,
};

/** Signing in again to a profile: its name, its environment and, for a custom one, its servers. */
export function signInDefaultsFor(profile: ProfileSummary): SignInDefaults {
  const kind = profile.environment.kind;
  const environment = kind === 'production' || kind === 'staging' ? kind : 'custom';

  return {
    profile: profile.name,
    environment,
    custom: {
      authServerUrl: profile.authServerUrl ?? '',
      baseUrl: profile.baseUrl ?? '',
      dataBaseUrl: profile.dataBaseUrl ?? '',
      clientId: profile.authServerClientId ?? '',
    },
  };
}

/** Opens the sign-in dialog for a new sign-in. */
export function SignInButton() {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => setOpen(true)}
      >
        Sign in
      </button>
      {open && <SignInDialog initial={freshSignIn} onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * A device sign-in from start to end: the environment and profile name,
 * then the code to approve in a browser (large, with a QR code, a link and a
 * countdown), then who signed in and where the sign-in was kept. `replace`
 * skips the question before replacing a profile (signing in again to it).
 */
export function SignInDialog(props: {
  initial: SignInDefaults;
  replace?: boolean;
  onClose: () => void;
}) {
  const [started, setStarted] = useState<SignInRequest | null>(null);
  const api = useApi();

  function handleClose() {
    if (started !== null) {
      void settle(api.cancelSignIn({ profile: started.profile }));
    }
    props.onClose();
  }

  return (
    <Dialog title="Sign in" onClose={handleClose} wide>
      {started === null ? (
        <SignInForm
          initial={props.initial}
          replace={props.replace === true}
          onStarted={setStarted}
          onCancel={props.onClose}
        />
      ) : (
        <SignInWaiting request={started} onClose={handleClose} onDone={props.onClose} />
      )}
    </Dialog>
  );
}

type Problems = Partial<Record<'profile' | keyof CustomServers, string>>;

function problemsOf(
  profile: string,
  environment: SignInEnvironment,
  custom: CustomServers,
) {
  const problems: Problems = {};
  const nameProblem = profileNameProblem(profile);
  if (nameProblem !== null) problems.profile = nameProblem;
  if (environment !== 'custom') return problems;
  for (const key of ['authServerUrl', 'baseUrl', 'dataBaseUrl'] as const) {
    const problem = urlProblem(custom[key], true);
    if (problem !== null) problems[key] = problem;
  }
  if (custom.clientId.trim() === '')
    problems.clientId = 'Enter the client ID of your auth server.';

  return problems;
}

type SignInRequest = CallRequest<'startSignIn'>;

/** Starts a sign-in and tells the store its first code; the error in words when it cannot. */
function useStartSignIn(onStarted: (request: SignInRequest) => void) {
  const api = useApi();
  const store = useAppStoreApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start(request: SignInRequest) {
    setPending(true);
    setError(null);
    store.getState().forgetSignIn(request.profile);
    const result = await settle(api.startSignIn(request));
    setPending(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    store.getState().receiveSignInProgress({ state: 'code', ...result.value });
    onStarted(request);
  }

  return { pending, error, start };
}

function SignInForm(props: {
  initial: SignInDefaults;
  replace: boolean;
  onStarted: (request: SignInRequest) => void;
  onCancel: () => void;
}) {
  const names = useProfileNames();
  const [environment, setEnvironment] = useState(props.initial.environment);
  const [profile, setProfile] = useState(props.initial.profile);
  const [nameTyped, setNameTyped] = useState(props.replace);
  const [custom, setCustom] = useState(props.initial.custom);
  const [shown, setShown] = useState<Problems>({});
  const [asking, setAsking] = useState(false);
  const { pending, error, start } = useStartSignIn(props.onStarted);

  function chooseEnvironment(choice: SignInEnvironment) {
    setEnvironment(choice);
    if (!nameTyped) setProfile(defaultNameFor(choice));
  }

  function send(replace: boolean) {
    const request =
      environment === 'custom'
        ? { profile, environment, custom: trimmed(custom) }
        : { profile, environment };
    return start({ ...request, ...(replace ? { replace: true } : {}) });
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const problems = problemsOf(profile, environment, custom);
    setShown(problems);
    if (Object.keys(problems).length > 0 || pending) return;
    if (names.includes(profile) && !props.replace) {
      setAsking(true);
      return;
    }
    void send(props.replace);
  }

  return (
    <form noValidate onSubmit={handleSubmit}>
      <EnvironmentChoices
        name="sign-in-environment"
        showing="authServerUrl"
        value={environment}
        onChange={chooseEnvironment}
      />
      {environment === 'custom' && (
        <CustomFields values={custom} onChange={setCustom} problems={shown} />
      )}
      <TextField
        label="Profile name"
        value={profile}
        onValueChange={(value) => {
          setProfile(value);
          setNameTyped(true);
        }}
        error={shown.profile ?? null}
        hint={
          names.includes(profile)
            ? `The profile '${profile}' exists: signing in replaces its token and keeps its agent ID.`
            : 'Doover’s own login uses “default” for Production and “staging” for Staging.'
        }
      />
      <FormError message={error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" aria-disabled={pending}>
          {pending ? 'Getting a code…' : 'Get sign-in code'}
        </button>
      </div>
      {asking && (
        <ConfirmDialog
          title={`Replace the sign-in of '${profile}'?`}
          confirmLabel="Sign in and replace"
          onConfirm={async () => {
            setAsking(false);
            await send(true);
            return { ok: true, value: null };
          }}
          onDone={() => undefined}
          onCancel={() => setAsking(false)}
        >
          <p>
            A profile named &apos;{profile}&apos; already exists. Signing in replaces its
            token, refresh token and server addresses; its agent ID is kept.
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}

function trimmed(custom: CustomServers): CustomServers {
  return {
    authServerUrl: custom.authServerUrl.trim(),
    baseUrl: custom.baseUrl.trim(),
    dataBaseUrl: custom.dataBaseUrl.trim(),
    clientId: custom.clientId.trim(),
  };
}

const customLabels: { key: keyof CustomServers; label: string; placeholder: string }[] = [
  { key: 'authServerUrl', label: 'Auth server', placeholder: 'https://auth.example.com' },
  { key: 'baseUrl', label: 'Control API', placeholder: 'https://api.example.com' },
  { key: 'dataBaseUrl', label: 'Data API', placeholder: 'https://data.example.com/api' },
  { key: 'clientId', label: 'Client ID', placeholder: '' },
];

function CustomFields(props: {
  values: CustomServers;
  onChange: (values: CustomServers) => void;
  problems: Problems;
}) {
  return (
    <fieldset className="form-group">
      <legend>Custom environment</legend>
      {customLabels.map(({ key, label, placeholder }) => (
        <TextField
          key={key}
          label={label}
          type={key === 'clientId' ? 'text' : 'url'}
          placeholder={placeholder}
          value={props.values[key]}
          onValueChange={(value) => props.onChange({ ...props.values, [key]: value })}
          error={props.problems[key] ?? null}
        />
      ))}
    </fieldset>
  );
}

/** The sign-in after its code was issued: approve, wait, and the end in words. */
function SignInWaiting(props: {
  request: SignInRequest;
  onClose: () => void;
  onDone: () => void;
}) {
  const { profile } = props.request;
  const progress = useAppStore((state) => state.signIns[profile] ?? null);
  const code = useAppStore((state) => state.signInCodes[profile] ?? null);
  const expired = useAppStore(
    (state) =>
      code !== null && state.now >= code.expiresAt && progress?.state !== 'signed-in',
  );
  if (progress?.state === 'signed-in') {
    return <SignedIn progress={progress} onDone={props.onDone} />;
  }
  const failed = progress?.state === 'failed' ? progress : null;
  const canRetry = expired || failed?.canRetry === true;

  return (
    <div className="sign-in-waiting">
      {code !== null && !expired && failed === null && <CodePanel code={code} />}
      <p className="sign-in-state" role="status">
        {stateWords(progress, expired, code === null)}
      </p>
      {failed !== null && !expired && <FormError message={failed.message} />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onClose}>
          {failed === null && !expired ? 'Cancel' : 'Close'}
        </button>
        {canRetry && <NewCodeButton request={props.request} />}
      </div>
    </div>
  );
}

function stateWords(progress: SignInProgress | null, expired: boolean, noCode: boolean) {
  if (expired) return 'The code has expired. Get a new code to try again.';
  if (noCode && progress === null) return 'Getting a new code…';
  switch (progress?.state) {
    case 'retrying':
      return progress.message;
    case 'failed':
      return 'The sign-in did not go through.';
    case 'cancelled':
      return progress.message;
    default:
      return 'Waiting for you to approve in the browser…';
  }
}

/** Asks main for a new code for the same sign-in, in one click. */
function NewCodeButton(props: { request: SignInRequest }) {
  const api = useApi();
  const store = useAppStoreApi();
  const [error, setError] = useState<string | null>(null);

  async function handleNewCode() {
    store.getState().forgetSignIn(props.request.profile);
    // The first request already settled whether the profile may be replaced.
    const result = await settle(api.startSignIn(props.request));
    if (result.ok) {
      store.getState().receiveSignInProgress({ state: 'code', ...result.value });
    } else {
      setError(result.error.message);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button button-primary"
        data-autofocus
        onClick={() => void handleNewCode()}
      >
        Get a new code
      </button>
      <FormError message={error} />
    </>
  );
}

/** The code to approve: large, with a copy button, a QR code, a link and a countdown. */
function CodePanel({ code }: { code: SignInStarted }) {
  const link = code.verificationUriComplete ?? code.verificationUri;

  return (
    <div className="sign-in-code-panel">
      <div className="sign-in-code-side">
        <p className="form-label" id="user-code-label">
          Your code
        </p>
        <p className="user-code" aria-labelledby="user-code-label">
          {code.userCode}
        </p>
        <CopyCodeButton code={code.userCode} />
        <CodeCountdown expiresAt={code.expiresAt} />
        <p>
          <a
            className="button button-primary"
            href={link}
            target="_blank"
            rel="noreferrer"
          >
            Open sign-in page
          </a>
        </p>
        <p className="form-hint">
          Or go to <code>{code.verificationUri}</code> on any device. Check that the code
          the page shows matches the code here before you approve; if it does not, cancel.
        </p>
      </div>
      <QrCode text={link} />
    </div>
  );
}

function CopyCodeButton({ code }: { code: string }) {
  const [copied, setCopied] = useState<string | null>(null);

  async function handleCopy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('Code copied');
    } catch {
      setCopied('The code could not be copied; type it instead.');
    }
  }

  return (
    <p>
      <button
        type="button"
        className="button button-small"
        onClick={() => void handleCopy()}
      >
        Copy code
      </button>{' '}
      <span role="status">{copied}</span>
    </p>
  );
}

function CodeCountdown({ expiresAt }: { expiresAt: number }) {
  const left = useAppStore((state) =>
    Math.max(0, Math.ceil((expiresAt - state.now) / 1000)),
  );

  return (
    <p className="sign-in-countdown">
      The code works for{' '}
      <span className="countdown" aria-hidden="true">
        {formatCountdown(left)}
      </span>
      <span className="visually-hidden">a few more minutes</span> more.
    </p>
  );
}

/** A QR code of the sign-in page, drawn as an SVG image (no canvas needed). */
function QrCode({ text }: { text: string }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    qrCodeSvg(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then(
        (svg) => current && setSource(`data:image/svg+xml,${encodeURIComponent(svg)}`),
      )
      .catch(() => current && setSource(null));
    return () => {
      current = false;
    };
  }, [text]);
  if (source === null) return null;

  return (
    <img
      className="sign-in-qr"
      src={source}
      alt="QR code of the sign-in page, to open it on a phone"
      width={176}
      height={176}
    />
  );
}

function SignedIn(props: {
  progress: Extract<SignInProgress, { state: 'signed-in' }>;
  onDone: () => void;
}) {
  const who = props.progress.signedInAs;

  return (
    <div className="sign-in-done">
      <p className="sign-in-state" role="status">
        <strong>
          {who === null
            ? `Signed in to '${props.progress.profile}'.`
            : `Signed in as ${who}.`}
        </strong>{' '}
        {props.progress.message}
      </p>
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-primary"
          data-autofocus
          onClick={props.onDone}
        >
          Done
        </button>
      </div>
    </div>
  );
}
