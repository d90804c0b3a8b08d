import type { DooverApi } from '../shared/contract';
import { AppProviders, useApi, useAppStore, useAppStoreApi } from './app-context';
import { Banners } from './components/banners';
import { CreateProfileButton } from './components/create-profile-dialog';
import {
  LoadErrorState,
  LoadingState,
  MissingFileState,
  NoProfilesState,
  UnreadableFileState,
} from './components/file-states';
import { HistoryView } from './components/history-view';
import { Notifications } from './components/notifications';
import { ProfileDetail } from './components/profile-detail';
import { ProfilesPanel } from './components/profiles-panel';
import { TokenAlerts, TokenToolbar } from './components/token-toolbar';
import { ViewSwitch } from './components/view-switch';
import type { AppStore } from './store/app-store';
import { loadSnapshot } from './store/connect-api';

/** The whole window, given the API to main and the store it keeps in step. */
export function App({ api, store }: { api: DooverApi; store: AppStore }) {
  return (
    <AppProviders api={api} store={store}>
      <AppFrame />
    </AppProviders>
  );
}

function AppFrame() {
  const hasAnswer = useAppStore(
    (state) => state.snapshot !== null || state.loadError !== null,
  );
  const fileStatus = useAppStore((state) => state.snapshot?.file.status ?? null);

  return (
    // The readiness marker tells end-to-end tests that the first answer is on screen.
    <div className="app" data-app-ready={hasAnswer ? 'true' : undefined}>
      <header className="app-header">
        <h1 className="app-title">Doover Profiles</h1>
        {fileStatus !== null && <ViewSwitch />}
        <div className="header-actions">
          {fileStatus !== null && fileStatus !== 'unreadable' && <CreateProfileButton />}
          {fileStatus !== null && fileStatus !== 'unreadable' && <TokenToolbar />}
        </div>
      </header>
      <main className="app-main">
        <TokenAlerts />
        <Banners />
        <MainContent />
        <Notifications />
      </main>
    </div>
  );
}

function MainContent() {
  const api = useApi();
  const snapshot = useAppStore((state) => state.snapshot);
  const loadError = useAppStore((state) => state.loadError);
  const store = useAppStoreApi();
  const view = useAppStore((state) => state.view);

  if (snapshot === null) {
    return loadError === null ? (
      <LoadingState />
    ) : (
      <LoadErrorState error={loadError} onRetry={() => void loadSnapshot(api, store)} />
    );
  }
  if (view === 'history') {
    return <HistoryView />;
  }
  const { file } = snapshot;
  if (file.status === 'missing') {
    return <MissingFileState path={snapshot.path} />;
  }
  if (file.status === 'unreadable') {
    return (
      <UnreadableFileState path={snapshot.path} cause={file.cause} remedy={file.remedy} />
    );
  }
  if (snapshot.profiles.length === 0) {
    return <NoProfilesState snapshot={snapshot} />;
  }

  return (
    <div className="split">
      <ProfilesPanel />
      <ProfileDetail />
    </div>
  );
}
