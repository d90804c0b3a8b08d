import { useState, type FormEvent } from 'react';
import { useApi, useAppStoreApi } from '../app-context';
import { profileNameProblem, urlProblem } from '../profile-form';
import { settle } from '../store/connect-api';
import { loadSettings } from '../store/connect-tokens';
import { takeReceipt } from '../store/receipts';
import { Dialog, FormError } from './dialog';
import { SecretField, TextField } from './form-fields';
import { useNamedWrite } from './name-dialogs';

/** Opens the form for a new service account. */
export function ServiceAccountButton() {
  const [open, setOpen] = useState(false);

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Add service account
      </button>
      {open && <ServiceAccountDialog onClose={() => setOpen(false)} />}
    </>
  );
}

type Problems = Partial<
  Record<'name' | 'dataBaseUrl' | 'clientId' | 'clientSecret', string>
>;

/**
 * A service account: a name, the data API it gets tokens from, and its
 * client id and secret. The secret goes only to the keychain.
 */
export function ServiceAccountDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const store = useAppStoreApi();
  const [name, setName] = useState('');
  const [dataBaseUrl, setDataBaseUrl] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [shown, setShown] = useState<Problems>({});
  const write = useNamedWrite({
    send: (replace) =>
      settle(
        api.addServiceAccount({
          name,
          dataBaseUrl: dataBaseUrl.trim(),
          clientId: clientId.trim(),
          clientSecret,
          ...(replace ? { replace: true } : {}),
        }),
      ),
    onWritten: (receipt) => {
      takeReceipt(store, receipt, name);
      void loadSettings(api, store);
      onClose();
    },
  });

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const problems: Problems = {};
    const nameProblem = profileNameProblem(name);
    if (nameProblem !== null) problems.name = nameProblem;
    const urlTrouble = urlProblem(dataBaseUrl.trim(), true);
    if (urlTrouble !== null) problems.dataBaseUrl = urlTrouble;
    if (clientId.trim() === '')
      problems.clientId = 'Enter the service account’s client ID.';
    if (clientSecret === '') problems.clientSecret = 'Enter the client secret.';
    setShown(problems);
    if (Object.keys(problems).length === 0 && !write.pending) void write.submit();
  }

  return (
    <>
      <Dialog title="Add service account" onClose={onClose}>
        <form noValidate onSubmit={handleSubmit}>
          <TextField
            label="Name"
            value={name}
            onValueChange={setName}
            error={shown.name ?? null}
          />
          <TextField
            label="Data API"
            type="url"
            placeholder="https://data.doover.com/api"
            value={dataBaseUrl}
            onValueChange={setDataBaseUrl}
            error={shown.dataBaseUrl ?? null}
            hint="Tokens come from its /oauth2/token."
          />
          <TextField
            label="Client ID"
            value={clientId}
            onValueChange={setClientId}
            error={shown.clientId ?? null}
          />
          <SecretField
            label="Client secret"
            noun="client secret"
            hint={
              shown.clientSecret ??
              'Kept only in your system’s keychain, never in the config file.'
            }
            onValueChange={setClientSecret}
          />
          <FormError message={write.error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button-primary"
              aria-disabled={write.pending}
            >
              {write.pending ? 'Adding…' : 'Add service account'}
            </button>
          </div>
        </form>
      </Dialog>
      {write.replaceQuestion(
        name,
        'Adding the service account replaces it, and its token and addresses are lost.',
      )}
    </>
  );
}
