import type {
  CallHandlers,
  EventName,
  EventPayload,
  Unsubscribe,
} from '../../shared/contract.js';
import type { Logger } from './logger.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AppServicesOptions {
  /** The home folder whose `.doover/config` the app manages. */
  homeDir: string;
  /** The app's own data folder (settings, history, logs). */
  dataDir: string;
  log: Logger;
  clock?: Clock;
}

export type EventListener = <Name extends EventName>(
  name: Name,
  payload: EventPayload<Name>,
) => void;

/** The main-process services, the same in the desktop app and in browser mode. */
export interface AppServices {
  handlers: CallHandlers;
  /** Events for the renderer; returns a function that stops listening. */
  onEvent(listener: EventListener): Unsubscribe;
  start(): Promise<void>;
  stop(): Promise<void>;
}
