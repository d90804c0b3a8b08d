import type { TokenAlert } from '../store/tokens-slice';
import { useAppStore } from '../app-context';
import { KeychainButton } from './keychain-panel';
import { PreferencesButton } from './preferences-dialog';
import { RenewalLogButton } from './renewal-log-dialog';
import { ServiceAccountButton } from './service-account-dialog';
import { SignInButton } from './sign-in-dialog';

/** Sign in, service accounts, the keychain, the renewal log and preferences, in the window's header. */
export function TokenToolbar() {
  return (
    <>
      <SignInButton />
      <ServiceAccountButton />
      <KeychainButton />
      <RenewalLogButton />
      <PreferencesButton />
    </>
  );
}

/** What needs the user, in the window, when desktop notifications are off or not allowed. */
export function TokenAlerts() {
  const alerts = useAppStore((state) => state.tokenAlerts);
  const dismiss = useAppStore((state) => state.dismissTokenAlert);
  const skew = useAppStore((state) => state.renewal?.clockSkew ?? null);
  if (alerts.length === 0 && skew === null) return null;

  return (
    <div className="banners">
      {skew !== null && (
        <div className="notice notice-warning">
          <p>{skew}. Tokens are planned with the auth server&apos;s time.</p>
        </div>
      )}
      {alerts.length > separateBannersAtMost ? (
        <AlertSummary alerts={alerts} onDismiss={dismiss} />
      ) : (
        alerts.map((alert) => (
          <div key={alert.id} className="notice notice-warning token-alert" role="alert">
            <p>{alert.message}</p>
            <DismissButton onClick={() => dismiss(alert.id)} label="this alert" />
          </div>
        ))
      )}
    </div>
  );
}

/** More alerts than this become one summary banner, so the list stays in view. */
const separateBannersAtMost = 2;

function AlertSummary(props: {
  alerts: readonly TokenAlert[];
  onDismiss: (id: number) => void;
}) {
  const { alerts, onDismiss } = props;

  return (
    <div className="notice notice-warning token-alert" role="alert">
      <details>
        <summary>{alerts.length} profiles need your attention</summary>
        <ul className="alert-list">
          {alerts.map((alert) => (
            <li key={alert.id}>{alert.message}</li>
          ))}
        </ul>
      </details>
      <DismissButton
        onClick={() => alerts.forEach((alert) => onDismiss(alert.id))}
        label="all these alerts"
        text="Dismiss all"
      />
    </div>
  );
}

function DismissButton(props: { onClick: () => void; label: string; text?: string }) {
  return (
    <button
      type="button"
      className="button button-small button-quiet"
      onClick={props.onClick}
    >
      {props.text ?? 'Dismiss'} <span className="visually-hidden">{props.label}</span>
    </button>
  );
}
