import type {
  KeychainStatus,
  RenewalStates,
  SettingsView,
  SignInProgress,
  SignInStarted,
} from '../../shared/token-types';
import type { AppSliceCreator } from './app-store';

/** Something that needs the user, shown in the window when desktop notifications are not allowed. */
export interface TokenAlert {
  id: number;
  profile: string;
  message: string;
}

/** Sign-ins, background renewal, the keychain and preferences, as main reports them. */
export interface TokensSlice {
  renewal: RenewalStates | null;
  keychain: KeychainStatus | null;
  settings: SettingsView | null;
  /** The latest news of each running (or just ended) sign-in, by profile. */
  signIns: Record<string, SignInProgress>;
  /** The latest code of each sign-in, kept while later news carries none. */
  signInCodes: Record<string, SignInStarted>;
  tokenAlerts: TokenAlert[];
  receiveRenewalStates: (states: RenewalStates) => void;
  receiveKeychainStatus: (status: KeychainStatus) => void;
  receiveSettings: (settings: SettingsView) => void;
  receiveSignInProgress: (progress: SignInProgress) => void;
  forgetSignIn: (profile: string) => void;
  addTokenAlert: (profile: string, message: string) => void;
  dismissTokenAlert: (id: number) => void;
}

let nextAlertId = 1;

export const createTokensSlice: AppSliceCreator<TokensSlice> = (set) => ({
  renewal: null,
  keychain: null,
  settings: null,
  signIns: {},
  signInCodes: {},
  tokenAlerts: [],
  receiveRenewalStates: (renewal) =>
    set((state) => ({
      renewal,
      // A banner about a profile no longer in the file (or a file that cannot
      // be read) has nothing left to act on.
      tokenAlerts: state.tokenAlerts.filter((alert) => alert.profile in renewal.profiles),
    })),
  receiveKeychainStatus: (keychain) => set({ keychain }),
  receiveSettings: (settings) => set({ settings }),
  receiveSignInProgress: (progress) =>
    set((state) => ({
      signIns: { ...state.signIns, [progress.profile]: progress },
      ...(progress.state === 'code'
        ? { signInCodes: { ...state.signInCodes, [progress.profile]: progress } }
        : {}),
    })),
  forgetSignIn: (profile) =>
    set((state) => ({
      signIns: without(state.signIns, profile),
      signInCodes: without(state.signInCodes, profile),
    })),
  addTokenAlert: (profile, message) =>
    set((state) => ({
      tokenAlerts: [
        ...state.tokenAlerts.filter((alert) => alert.profile !== profile),
        { id: nextAlertId++, profile, message },
      ],
    })),
  dismissTokenAlert: (id) =>
    set((state) => ({
      tokenAlerts: state.tokenAlerts.filter((alert) => alert.id !== id),
    })),
});

function without<Value>(
  record: Record<string, Value>,
  key: string,
): Record<string, Value> {
  const copy = { ...record };
  delete copy[key];

  return copy;
}
