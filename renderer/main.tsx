import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getDooverApi } from './api/get-api';
import { App } from './app';
import { createAppStore } from './store/app-store';
import { startClock } from './store/clock';
import { connectStoreToApi } from './store/connect-api';

// Subscriptions and the clock live outside React and only write to the store.
const api = getDooverApi();
const store = createAppStore();
connectStoreToApi(api, store);
startClock(store);

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html has no #root element');
}
createRoot(container).render(
  <StrictMode>
    <App api={api} store={store} />
  </StrictMode>,
);
