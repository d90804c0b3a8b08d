import { alertFor } from '../renewal-words';
import type { AppState, AppStore } from './app-store';

/** Shows a message to the user outside the window; false when that is not allowed. */
export type DesktopNotifier = (title: string, body: string) => boolean;

/** The web Notification API, used only once the user has allowed it. */
export const webNotifier: DesktopNotifier = (title, body) => {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
    return false;
  }
  new Notification(title, { body });

  return true;
};

/**
 * Tells the user what needs them (a sign-in to redo, a locked keychain, a
 * token about to expire that cannot renew): as a desktop notification when
 * allowed, else as a banner in the window. Once per profile per state; a
 * profile that recovers may be told again later. Returns a stop function.
 */
export function watchTokenAlerts(
  store: AppStore,
  notify: DesktopNotifier = webNotifier,
): () => void {
  const told = new Map<string, string>();
  const check = (state: AppState) => {
    const profiles = state.renewal?.profiles ?? {};
    for (const profile of told.keys()) {
      if (!(profile in profiles)) {
        told.delete(profile);
      }
    }
    const fresh: Alert[] = [];
    for (const [profile, renewal] of Object.entries(profiles)) {
      const message = alertFor(renewal, state.now);
      if (message === null) {
        forget(state, told, profile);
      } else if (told.get(profile) !== renewal.kind) {
        told.set(profile, renewal.kind);
        fresh.push({ profile, sentence: `'${profile}' ${message}` });
      }
    }
    tell(state, notify, fresh);
  };
  check(store.getState());

  return store.subscribe((state, previous) => {
    if (state.renewal !== previous.renewal || state.now !== previous.now) {
      check(state);
    }
  });
}

interface Alert {
  profile: string;
  sentence: string;
}

/** More alerts than this at once become one desktop notification, not a flood. */
const separateNotificationsAtMost = 3;

function tell(state: AppState, notify: DesktopNotifier, alerts: readonly Alert[]) {
  if (alerts.length === 0 || state.settings?.preferences.notifications === false) {
    return;
  }
  const notified =
    alerts.length > separateNotificationsAtMost
      ? notify(`Doover Profiles: ${alerts.length} profiles need you`, summaryOf(alerts))
      : alerts.every(({ profile, sentence }) =>
          notify(`Doover Profiles: ${profile}`, sentence),
        );
  if (!notified) {
    for (const { profile, sentence } of alerts) {
      state.addTokenAlert(profile, sentence);
    }
  }
}

function summaryOf(alerts: readonly Alert[]): string {
  const names = alerts.slice(0, 3).map((alert) => `'${alert.profile}'`);
  const more = alerts.length - names.length;
  return `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}: open the app to see what each needs.`;
}

function forget(state: AppState, told: Map<string, string>, profile: string) {
  if (!told.delete(profile)) {
    return;
  }
  const stale = state.tokenAlerts.find((alert) => alert.profile === profile);
  if (stale !== undefined) {
    state.dismissTokenAlert(stale.id);
  }
}
