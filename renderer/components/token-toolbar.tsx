import { useAppStore } from '../app-context';
import { KeychainButton } from './keychain-panel';
import { PreferencesButton } from './preferences-dialog';
import { ServiceAccountButton } from './service-account-dialog';
import { SignInButton } from './sign-in-dialog';

/** Sign in, service accounts, the keychain and preferences, in the window's header. */
export function TokenToolbar() {
  return (
    <>
      <SignInButton />
      <ServiceAccountButton />
      <KeychainButton />
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
      {alerts.map((alert) => (
        <div key={alert.id} className="notice notice-warning token-alert" role="alert">
          <p>{alert.message}</p>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => dismiss(alert.id)}
          >
            Dismiss <span className="visually-hidden">this alert</span>
          </button>
        </div>
      ))}
    </div>
  );
}
