import {
  BrowserWindow,
  ipcMain,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { callNames, calls, events, type Unsubscribe } from '../../shared/contract.js';
import { fail, type Result } from '../../shared/result.js';
import type { AppServices } from '../core/app-services.js';
import { createCallDispatcher, type DispatchCall } from '../core/call-dispatcher.js';
import { scopedLogger, type Logger } from '../core/logger.js';
import { isAppPage, isOwnMainFrame } from './sender-guard.js';

export interface IpcOptions {
  /** The file URL of the app's page; only that page may call. */
  appUrl: string;
  log: Logger;
}

/**
 * Registers one handler per contract call and forwards service events to the
 * app's windows. Every call is checked twice: here, that it comes from our own
 * window's main frame showing our page; then by the dispatcher, that its
 * channel and arguments match the contract. Returns a function that undoes it.
 */
export function setupIpc(services: AppServices, options: IpcOptions): Unsubscribe {
  const log = scopedLogger(options.log, 'ipc');
  const dispatch = createCallDispatcher(services.handlers, log);
  const channels = callNames.map((name) => calls[name].channel);

  for (const channel of channels) {
    ipcMain.handle(channel, (event, request: unknown) =>
      handleCall({ event, channel, request, dispatch, appUrl: options.appUrl, log }),
    );
  }
  const stopEvents = services.onEvent((name, payload) =>
    sendToAppPages(events[name].channel, payload, options.appUrl),
  );

  return () => {
    stopEvents();
    channels.forEach((channel) => ipcMain.removeHandler(channel));
  };
}

interface IncomingCall {
  event: IpcMainInvokeEvent;
  channel: string;
  request: unknown;
  dispatch: DispatchCall;
  appUrl: string;
  log: Logger;
}

async function handleCall(call: IncomingCall): Promise<Result<unknown>> {
  if (!isOwnMainFrame(call.event, ownWebContents(), call.appUrl)) {
    call.log.warn({ channel: call.channel }, 'refused a call from outside the app page');
    return fail('bad-request', 'This request did not come from the app window.');
  }

  return call.dispatch(call.channel, call.request);
}

function ownWebContents(): WebContents[] {
  return BrowserWindow.getAllWindows().map((window) => window.webContents);
}

function sendToAppPages(channel: string, payload: unknown, appUrl: string): void {
  for (const contents of ownWebContents()) {
    if (!contents.isDestroyed() && isAppPage(contents.mainFrame.url, appUrl)) {
      contents.send(channel, payload);
    }
  }
}
